import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPreset } from '../../../engine/presets/loadPreset.js';
import { presetSchema } from '../../../engine/presets/presetSchema.js';
import { bundledImageRefs, resolveImagePath, seedImagesDir } from '../../../engine/presets/resolveInit.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { userError } from '../../helpers/userError.js';

const PRESETS = fileURLToPath(new URL('../../../presets/', import.meta.url));
const presetFiles = readdirSync(PRESETS).filter((f) => f.endsWith('.yaml')).sort();

/** A minimal valid preset as YAML lines; tests append or replace lines to break one thing. */
const VALID = [
  'models:',
  '  audio: riffusion-model-v1',
  'plan:',
  '  - model: audio',
  '    prompt: steady beat',
  '    guidance: 7',
];

function writePreset(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

describe('bundled presets', () => {
  it('has the bundled presets, each described in docs/presets.md', () => {
    expect(presetFiles).toEqual(expect.arrayContaining([
      'castle.yaml', 'galloping-horses.yaml', 'images-that-sound.yaml', 'riffusion-interpolation.yaml',
      'stormy-ship.yaml', 'tiny.yaml', 'waltz-princess.yaml', 'few-steps.yaml',
    ]));
    const docs = readFileSync(fileURLToPath(new URL('../../../docs/presets.md', import.meta.url)), 'utf8');
    for (const name of presetFiles) expect(docs).toContain(`(../presets/${name})`);
  });

  it.each(presetFiles)('%s validates', (name) => {
    const loaded = loadPreset(join(PRESETS, name), resolve('models'));
    expect(loaded.preset.plan.length).toBeGreaterThan(0);
    expect(loaded.preset.width % 8).toBe(0);
    expect(loaded.preset.height % 8).toBe(0);
    // Real presets name bare model folders (under ./models); only tiny.yaml points into the repo.
    if (name !== 'tiny.yaml') {
      // few-steps.yaml needs the LCM-LoRA fused export of the same model
      expect(loaded.audioModel).toBe(resolve('models', name === 'few-steps.yaml' ? 'riffusion-lcm' : 'riffusion-model-v1'));
      if (loaded.pictureModel) expect(loaded.pictureModel).toBe(resolve('models', 'dreamshaper'));
    }
    if (loaded.preset.init) expect(existsSync(resolveImagePath(loaded.preset.init.image, loaded.file))).toBe(true);
    if (loaded.preset.init?.mask) expect(existsSync(resolveImagePath(loaded.preset.init.mask, loaded.file))).toBe(true);
    // Every preset explains itself in comments.
    expect(readFileSync(join(PRESETS, name), 'utf8')).toMatch(/^# /);
  });

  it('tiny.yaml points at the tiny test models, resolved relative to the preset file', () => {
    const loaded = loadPreset(join(PRESETS, 'tiny.yaml'), '/nonexistent-models-dir');
    expect(loaded.audioModel).toBe(fixture('tiny-sd/audio'));
    expect(loaded.pictureModel).toBe(fixture('tiny-sd/picture'));
    for (const dir of [loaded.audioModel, loaded.pictureModel!]) {
      expect(existsSync(join(dir, 'model_index.json'))).toBe(true);
      expect(existsSync(join(dir, 'unet', 'model.onnx'))).toBe(true);
    }
    expect(loaded.preset).toMatchObject({ width: 128, height: 64, steps: 20, scheduler: 'euler', mode: 'alternate' });
    expect(loaded.preset.plan.map((b) => b.model)).toEqual(['picture', 'audio', 'audio']);
  });

  it('keeps the recipes of the sources', () => {
    const load = (name: string) => loadPreset(join(PRESETS, name)).preset;
    const waltz = load('waltz-princess.yaml');
    expect(waltz).toMatchObject({ scheduler: 'euler', steps: 20, width: 768, height: 512, seed: 293918, mode: 'alternate' });
    expect(waltz.plan.map((b) => [b.model, b.prompt, b.guidance])).toEqual([
      ['picture', 'beautiful princess with long hair wearing an elaborate colorful dress', 11],
      ['audio', 'steady beat', 7],
      ['audio', 'steady beat', 7],
    ]);
    expect(load('stormy-ship.yaml')).toMatchObject({ seed: 3908, audio: { saturation: 1.5 } });
    expect(load('galloping-horses.yaml')).toMatchObject({ seed: 56, shift: -5, audio: { loop: true } });
    const its = load('images-that-sound.yaml');
    expect(its).toMatchObject({ mode: 'weighted', scheduler: 'ddim', steps: 100, width: 1024, height: 256 });
    expect(its.plan).toEqual([
      { model: 'picture', prompt: 'a castle with bell towers, grayscale, lithograph style', guidance: 10, weight: 0.5, startStep: 10 },
      { model: 'audio', prompt: 'bell ringing', guidance: 10, weight: 0.5, startStep: 0 },
    ]);
    expect(load('riffusion-interpolation.yaml')).toMatchObject({
      scheduler: 'pndm', steps: 50, seed: 42, seedB: 123, alpha: 0.25, width: 512, height: 512,
      init: { image: 'seed:og_beat', strength: 0.75 },
      plan: [{ model: 'audio', prompt: 'church bells on sunday', promptB: 'jazz with piano', guidance: 7, guidanceB: 7 }],
    });
  });
});

describe('invalid presets: one line naming the file and the field', () => {
  it('guidance out of range', () => {
    const file = writePreset('bad.yaml', VALID.join('\n').replace('guidance: 7', 'guidance: 99'));
    const msg = userError(() => loadPreset(file));
    expect(msg.startsWith(`${file}: plan.0.guidance: `)).toBe(true);
    expect(msg).not.toContain('\n');
  });

  it('unknown field', () => {
    const file = writePreset('bad.yaml', [...VALID, 'stepz: 20'].join('\n'));
    const msg = userError(() => loadPreset(file));
    expect(msg.startsWith(`${file}: `)).toBe(true);
    expect(msg).toContain('stepz');
    expect(msg).not.toContain('\n');
  });

  it('unknown field inside a block', () => {
    const file = writePreset('bad.yaml', [...VALID, '    negative: blurry'].join('\n'));
    const msg = userError(() => loadPreset(file));
    expect(msg.startsWith(`${file}: plan.0`)).toBe(true);
    expect(msg).toContain('negative');
  });

  it('picture block without models.picture', () => {
    const file = writePreset('bad.yaml', [...VALID, '  - model: picture', '    prompt: castle', '    guidance: 11'].join('\n'));
    const msg = userError(() => loadPreset(file));
    expect(msg).toBe(`${file}: plan.1.model: uses the picture model, but models.picture is not set`);
  });

  it('width not a multiple of 8', () => {
    const file = writePreset('bad.yaml', [...VALID, 'width: 500'].join('\n'));
    const msg = userError(() => loadPreset(file));
    expect(msg.startsWith(`${file}: width: `)).toBe(true);
    expect(msg).toContain('8');
  });

  it('bad YAML', () => {
    const file = writePreset('bad.yaml', 'models:\n  audio: [unclosed\nplan: 1\n');
    const msg = userError(() => loadPreset(file));
    expect(msg.startsWith(`${file}: not valid YAML (`)).toBe(true);
    expect(msg).not.toContain('\n');
  });

  it('missing file', () => {
    const file = join(tempDir(), 'missing.yaml');
    expect(userError(() => loadPreset(file))).toBe(`${file}: file not found`);
  });
});

describe('resolveImagePath', () => {
  const presetFile = join(PRESETS, 'riffusion-interpolation.yaml');

  it('finds the bundled seed images (copies of Riffusion\'s)', () => {
    const path = resolveImagePath('seed:og_beat', presetFile);
    expect(path).toBe(join(seedImagesDir(), 'og_beat.png'));
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path)).toEqual(readFileSync(fixture('riffusion/seed_images/og_beat.png')));
    expect(bundledImageRefs().seeds).toEqual(['seed:agile', 'seed:marim', 'seed:motorway', 'seed:og_beat', 'seed:vibes']);
    for (const ref of [...bundledImageRefs().seeds, ...bundledImageRefs().masks]) expect(existsSync(resolveImagePath(ref, presetFile))).toBe(true);
  });

  it('finds masks with or without Riffusion\'s mask_ prefix', () => {
    const path = join(seedImagesDir(), 'mask_top_third_75.png');
    expect(resolveImagePath('mask:top_third_75', presetFile)).toBe(path);
    expect(resolveImagePath('mask:mask_top_third_75', presetFile)).toBe(path);
    expect(bundledImageRefs().masks).toHaveLength(6);
  });

  it('names the valid seeds for an unknown one', () => {
    const msg = userError(() => resolveImagePath('seed:nope', presetFile));
    expect(msg).toContain('seed:nope');
    for (const name of ['og_beat', 'agile', 'marim', 'motorway', 'vibes']) expect(msg).toContain(`seed:${name}`);
    expect(msg).not.toContain('mask_');
    expect(userError(() => resolveImagePath('seed:mask_top_third_75', presetFile))).toContain('seed:og_beat');
  });

  it('names the valid masks for an unknown one', () => {
    const msg = userError(() => resolveImagePath('mask:nope', presetFile));
    expect(msg).toContain('mask:top_third_75');
    expect(msg).toContain('mask:beat_lines_80');
  });

  it('resolves other paths relative to the preset file', () => {
    expect(resolveImagePath('init.png', '/some/where/p.yaml')).toBe('/some/where/init.png');
    expect(resolveImagePath('../img/a.png', '/some/where/p.yaml')).toBe('/some/img/a.png');
    expect(resolveImagePath('/abs/a.png', '/some/where/p.yaml')).toBe('/abs/a.png');
  });
});

describe('docs/presets.md', () => {
  const docs = readFileSync(fileURLToPath(new URL('../../../docs/presets.md', import.meta.url)), 'utf8');

  /** The table rows `| \`field\` | type | ...` under a `### heading`, as field -> row text. */
  function table(heading: string): Map<string, string> {
    const start = docs.indexOf(`\n### ${heading}\n`);
    expect(start, `docs/presets.md has no "### ${heading}"`).toBeGreaterThan(-1);
    const end = docs.indexOf('\n#', start + 5);
    const rows = new Map<string, string>();
    for (const line of docs.slice(start, end < 0 ? undefined : end).split('\n')) {
      const m = /^\| `(\w+)` \|(.*)$/.exec(line);
      if (m) rows.set(m[1]!, m[2]!);
    }
    return rows;
  }

  function unwrap(schema: z.ZodType): z.ZodType {
    let s = schema;
    while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    return s;
  }

  const shape = presetSchema.shape;
  const sections: Array<[string, Record<string, z.ZodType>]> = [
    ['Top level', shape],
    ['`models`', shape.models.shape],
    ['`plan` blocks', shape.plan.element.shape],
    ['`init`', shape.init.unwrap().shape],
    ['`audio`', shape.audio.unwrap().shape],
  ];

  it.each(sections)('documents exactly the fields of %s, with every enum value', (heading, fields) => {
    const rows = table(heading);
    expect([...rows.keys()].sort()).toEqual(Object.keys(fields).sort());
    for (const [key, schema] of Object.entries(fields)) {
      const inner = unwrap(schema);
      if (inner instanceof z.ZodEnum) for (const option of inner.options) expect(rows.get(key)).toContain(`\`${String(option)}\``);
    }
  });

  it('gives the schema defaults', () => {
    const rows = table('Top level');
    const defaults = presetSchema.parse({ models: { audio: 'a' }, plan: [{ model: 'audio', prompt: '', guidance: 7 }] });
    for (const key of ['provider', 'threads', 'mode', 'scheduler', 'steps', 'width', 'height', 'seed', 'shift', 'vae'] as const) {
      const cells = rows.get(key)!.split(/(?<!\\)\|/).map((c) => c.trim());
      expect(cells[1], key).toBe(`\`${String(defaults[key])}\``);
    }
    expect(rows.get('audio')!.split(/(?<!\\)\|/)[1]!.trim()).toBe('`{}`');
  });
});
