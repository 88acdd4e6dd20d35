import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../../../engine/diffusion/generator.js';
import { latentOf } from '../../../../engine/diffusion/latent.js';
import { gaussianNoise } from '../../../../engine/diffusion/noiseGenerator.js';
import { taesdDecoderGraph } from '../../../../engine/models/taesd/taesdDecoderGraph.js';
import { writeTaesdFolder } from '../../../../engine/models/taesd/writeTaesdFolder.js';
import { inspectVaeFolder } from '../../../../engine/models/vaeFolder.js';
import { loadPreset } from '../../../../engine/presets/loadPreset.js';
import { createSession } from '../../../../engine/ort/session.js';
import type { Initializer } from '../../../../engine/onnx/onnxWriter.js';
import { fixture, tempDir } from '../../../helpers/fixtures.js';
import { userError } from '../../../helpers/userError.js';

/** 3x3 convolution, padding 1, in float64: x [cin, h, w] -> [cout, h, w]. */
function conv(x: Float64Array, cin: number, h: number, w: number, weight: Initializer, bias?: Initializer): Float64Array {
  const cout = weight.dims[0]!;
  const wt = weight.data as Float32Array;
  const out = new Float64Array(cout * h * w);
  for (let o = 0; o < cout; o++) {
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        let acc = bias ? (bias.data as Float32Array)[o]! : 0;
        for (let i = 0; i < cin; i++) {
          for (let ky = 0; ky < 3; ky++) {
            const sy = y + ky - 1;
            if (sy < 0 || sy >= h) continue;
            for (let kx = 0; kx < 3; kx++) {
              const sx = xx + kx - 1;
              if (sx < 0 || sx >= w) continue;
              acc += wt[((o * cin + i) * 3 + ky) * 3 + kx]! * x[(i * h + sy) * w + sx]!;
            }
          }
        }
        out[(o * h + y) * w + xx] = acc;
      }
    }
  }
  return out;
}

const relu = (a: Float64Array): Float64Array => a.map((v) => Math.max(0, v));

/** TAESD's Decoder written from taesd.py, on the graph's weights by name. */
function taesdReference(latent: Float32Array, c: number, h0: number, w0: number, weights: Map<string, Initializer>): { data: Float64Array; h: number; w: number } {
  const W = (name: string) => weights.get(name)!;
  let h = h0, w = w0;
  let x: Float64Array = relu(conv(Float64Array.from(latent, (v) => Math.tanh(v / 3) * 3), c, h, w, W('1.weight'), W('1.bias')));
  const block = (i: number) => {
    let y: Float64Array = relu(conv(x, 64, h, w, W(`${i}.conv.0.weight`), W(`${i}.conv.0.bias`)));
    y = relu(conv(y, 64, h, w, W(`${i}.conv.2.weight`), W(`${i}.conv.2.bias`)));
    y = conv(y, 64, h, w, W(`${i}.conv.4.weight`), W(`${i}.conv.4.bias`));
    x = relu(y.map((v, k) => v + x[k]!));
  };
  const upsample = () => {
    const up = new Float64Array(64 * 4 * h * w);
    for (let ch = 0; ch < 64; ch++) for (let y = 0; y < 2 * h; y++) for (let xx = 0; xx < 2 * w; xx++) up[(ch * 2 * h + y) * 2 * w + xx] = x[(ch * h + (y >> 1)) * w + (xx >> 1)]!;
    h *= 2; w *= 2; x = up;
  };
  for (const [blocks, convIndex] of [[[3, 4, 5], 7], [[8, 9, 10], 12], [[13, 14, 15], 17]] as const) {
    for (const b of blocks) block(b);
    upsample();
    x = conv(x, 64, h, w, W(`${convIndex}.weight`));
  }
  block(18);
  return { data: conv(x, 64, h, w, W('19.weight'), W('19.bias')), h, w };
}

describe('TAESD decoder graph (random weights, real architecture)', () => {
  const graph = taesdDecoderGraph({ seed: 3 });
  const weights = new Map(graph.initializers!.map((t) => [t.name, t]));

  it("has TAESD's 1,222,531 parameters under taesd_decoder.pth's names", () => {
    const params = graph.initializers!.filter((t) => !t.name.includes('.three') && !t.name.includes('.scales')).reduce((n, t) => n + t.data.length, 0);
    expect(params).toBe(1_222_531);
    expect(weights.get('1.weight')!.dims).toEqual([64, 4, 3, 3]);
    expect(weights.get('3.conv.4.bias')!.dims).toEqual([64]);
    expect(weights.has('7.weight') && !weights.has('7.bias')).toBe(true);
    expect(weights.get('19.weight')!.dims).toEqual([3, 64, 3, 3]);
    expect(weights.has('18.conv.0.weight') && !weights.has('19.conv.0.weight')).toBe(true);
    expect(taesdDecoderGraph({ seed: 3 }).initializers![5]!.data).toEqual(graph.initializers![5]!.data);
    expect(taesdDecoderGraph({ seed: 4 }).initializers![5]!.data).not.toEqual(graph.initializers![5]!.data);
  });

  it('onnxruntime maps latents [1,4,h,w] to pixels [1,3,8h,8w] as the float64 reference does', async () => {
    const dir = tempDir();
    const path = writeTaesdFolder(dir, { seed: 3 });
    const session = await createSession(path);
    try {
      const latent = gaussianNoise(11, 4 * 2 * 3).map((v) => v * 2);
      const out = await session.run({ latent_sample: { type: 'float32', data: latent, dims: [1, 4, 2, 3] } });
      expect(out['sample']!.dims).toEqual([1, 3, 16, 24]);
      const ref = taesdReference(latent, 4, 2, 3, weights);
      const got = out['sample']!.data as Float32Array;
      let diff = 0, scale = 0;
      for (let i = 0; i < ref.data.length; i++) { diff = Math.max(diff, Math.abs(got[i]! - ref.data[i]!)); scale = Math.max(scale, Math.abs(ref.data[i]!)); }
      expect(scale).toBeGreaterThan(0);
      expect(diff / scale).toBeLessThan(1e-5);
    } finally {
      await session.dispose();
    }
  });
});

describe('a decoder folder in place of the VAE (vae: taesd or a folder)', () => {
  let taesdDir: string;
  let generator: Generator;
  beforeAll(async () => {
    taesdDir = join(tempDir(), 'taesd');
    writeTaesdFolder(taesdDir, { seed: 5 });
    generator = await Generator.load({ audioModel: fixture('tiny-sd/audio'), vaeModel: taesdDir });
  });
  afterAll(() => generator.dispose());

  it('decodes the unscaled latents and reads the output as 0..1', async () => {
    const latent = latentOf(4, 8, 16, gaussianNoise(2, 4 * 8 * 16));
    const image = await generator.decode(latent, {});
    expect([image.width, image.height]).toEqual([128, 64]);
    const session = await createSession(join(taesdDir, 'vae_decoder', 'model.onnx'));
    try {
      const raw = (await session.run({ latent_sample: { type: 'float32', data: latent.data, dims: [1, 4, 8, 16] } }))['sample']!.data as Float32Array;
      const plane = 128 * 64;
      for (const i of [0, 77, 4000, plane - 1]) {
        for (let c = 0; c < 3; c++) expect(image.rgb[i * 3 + c]).toBe(Math.round(Math.min(1, Math.max(0, raw[c * plane + i]!)) * 255));
      }
    } finally {
      await session.dispose();
    }
  });

  it('reads the folder config: TAESD defaults, SD defaults, and one-line errors', () => {
    expect(inspectVaeFolder(taesdDir)).toMatchObject({ className: 'AutoencoderTiny', scalingFactor: 1, outputRange: '0..1' });
    expect(inspectVaeFolder(fixture('tiny-sd/audio'))).toMatchObject({ scalingFactor: 0.18215, outputRange: '-1..1' });
    expect(userError(() => inspectVaeFolder(join(taesdDir, 'nope')))).toMatch(/nope: VAE folder not found/);
    const bad = join(tempDir(), 'bad');
    mkdirSync(join(bad, 'vae_decoder'), { recursive: true });
    writeFileSync(join(bad, 'vae_decoder', 'model.onnx'), '');
    writeFileSync(join(bad, 'vae_decoder', 'config.json'), '{"_class_name": "AutoencoderTiny", "output_range": "0..255"}');
    expect(userError(() => inspectVaeFolder(bad))).toMatch(/config.json: output_range must be "0..1" or "-1..1", got "0..255"/);
  });

  it('a preset says vae: taesd (models/taesd) or a path; the audio VAE still encodes', () => {
    const dir = tempDir();
    const write = (vae: string) => {
      const file = join(dir, `p-${vae.replace(/\W/g, '')}.yaml`);
      writeFileSync(file, `models:\n  audio: tiny\nvae: ${vae}\nplan:\n  - model: audio\n    prompt: x\n    guidance: 1\n`);
      return file;
    };
    expect(loadPreset(write('taesd'), '/m').vaeModel).toBe('/m/taesd');
    expect(loadPreset(write('./my-taesd'), '/m').vaeModel).toBe(join(dir, 'my-taesd'));
    expect(loadPreset(write('audio'), '/m').vaeModel).toBeUndefined();
  });
});
