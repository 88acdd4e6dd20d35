import { existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../../engine/io/npy.js';
import { readPng } from '../../../engine/io/png.js';
import { readWav } from '../../../engine/io/wav.js';
import { decodeSpectrogramExif } from '../../../engine/spectrogram/exif.js';
import { synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { writeTaesdFolder } from '../../../engine/models/taesd/writeTaesdFolder.js';

const tiny = fixture('../../presets/tiny.yaml');

describe('synesthete generate', () => {
  it('runs the tiny preset end to end: PNG with EXIF and recipe, WAV, latents; the same seed gives the same latents', () => {
    const out = tempDir();
    const run = synesthete('generate', '--preset', tiny, '--out', out, '--seed', '7');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/generate: .*tiny\.png.*tiny\.wav.*tiny\.latents\.npy \(seed 7, 20 UNet runs\)/);
    const image = readPng(join(out, 'tiny.png'));
    expect([image.width, image.height]).toEqual([128, 64]);
    expect(decodeSpectrogramExif(image.exif!).params.numFrequencies).toBe(64);
    expect(JSON.parse(image.text['synesthete']!)).toMatchObject({ seed: 7, recipe: { mode: 'alternate', steps: 20 } });
    const wav = readWav(join(out, 'tiny.wav'));
    expect(wav.channels[0]!.length).toBe(127 * 441);
    const latents = readNpy(join(out, 'tiny.latents.npy'));
    expect(latents.shape).toEqual([1, 4, 8, 16]);

    const again = tempDir();
    expect(synesthete('generate', '--preset', tiny, '--out', again, '--seed', '7').code).toBe(0);
    expect(readNpy(join(again, 'tiny.latents.npy')).data).toEqual(latents.data);
    const other = tempDir();
    expect(synesthete('generate', '--preset', tiny, '--out', other, '--seed', '8').code).toBe(0);
    expect(readNpy(join(other, 'tiny.latents.npy')).data).not.toEqual(latents.data);
  });

  it('takes the initial noise from a file and writes the latents where asked', () => {
    const out = tempDir();
    const noise = join(out, 'noise.npy');
    writeNpy(noise, new Float32Array(4 * 8 * 16).fill(0.5), [1, 4, 8, 16]);
    const latentsOut = join(out, 'final.npy');
    const run = synesthete('generate', '--preset', tiny, '--out', out, '--noise', noise, '--latents-out', latentsOut);
    expect(run.code, run.stderr).toBe(0);
    expect(readNpy(latentsOut).shape).toEqual([1, 4, 8, 16]);
  });

  it('names the file and field of a bad preset, the file of bad noise, and leaves nothing behind', () => {
    const out = tempDir();
    const bad = join(out, 'bad.yaml');
    writeFileSync(bad, 'models: { audio: ./nowhere }\nplan:\n  - { model: audio, prompt: x, guidance: 99 }\n');
    const run = synesthete('generate', '--preset', bad, '--out', join(out, 'o'));
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/bad\.yaml: plan\.0\.guidance: /)]);

    const noise = join(out, 'noise.npy');
    writeNpy(noise, new Float32Array(10), [10]);
    const wrongNoise = synesthete('generate', '--preset', tiny, '--out', join(out, 'o'), '--noise', noise);
    expect(wrongNoise.code).toBe(1);
    expect(wrongNoise.stderr).toMatch(/noise\.npy: noise has shape \[10\], the preset needs \[1, 4, 8, 16\]/);
    expect(existsSync(join(out, 'o')) ? readdirSync(join(out, 'o')) : []).toEqual([]);

    const missingModel = join(out, 'missing.yaml');
    writeFileSync(missingModel, 'models: { audio: ./nowhere }\nplan:\n  - { model: audio, prompt: x, guidance: 7 }\n');
    const noModel = synesthete('generate', '--preset', missingModel, '--out', join(out, 'o'));
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/nowhere: model folder not found/);
  });
});

describe('synesthete generate, failing late', () => {
  it('writes all outputs or none: a latents path that cannot be created leaves no PNG or WAV', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'afile'), 'x');
    const out = join(dir, 'out');
    const run = synesthete('generate', '--preset', tiny, '--out', out, '--latents-out', join(dir, 'afile', 'x.npy'));
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/afile: cannot create output folder/)]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('synesthete models check', () => {
  it('prints what a model folder holds', () => {
    const run = synesthete('models', 'check', fixture('tiny-sd/picture'), '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ layout: 'optimum', textHiddenSize: 16, latentChannels: 4, timestep: 'timestep: float32[]', img2img: true });
  });

  it('names the missing part of a broken folder', () => {
    const run = synesthete('models', 'check', tempDir());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/text_encoder\/model\.onnx: missing/);
  });
});

describe('every bundled preset', () => {
  // The real presets name models under ./models (riffusion-model-v1, dreamshaper, ...); here those
  // names point at the tiny test models, so each recipe runs end to end without real weights.
  const models = tempDir();
  symlinkSync(fixture('tiny-sd/audio'), join(models, 'riffusion-model-v1'));
  symlinkSync(fixture('tiny-sd/picture'), join(models, 'dreamshaper'));
  // few-steps.yaml: an LCM-LoRA fused export and TAESD (random weights of its real architecture)
  symlinkSync(fixture('tiny-sd/audio'), join(models, 'riffusion-lcm'));
  writeTaesdFolder(join(models, 'taesd'));
  const presets = readdirSync(fixture('../../presets')).filter((f) => f.endsWith('.yaml'));

  it('finds the presets', () => expect(presets.length).toBeGreaterThanOrEqual(7));

  for (const file of presets) {
    it(`${file} generates a PNG and a WAV`, () => {
      const out = tempDir();
      const run = synesthete('generate', '--preset', fixture(`../../presets/${file}`), '--out', out, '--models', models);
      expect(run.code, run.stderr).toBe(0);
      const name = file.replace(/\.yaml$/, '');
      const image = readPng(join(out, `${name}.png`));
      const wav = readWav(join(out, `${name}.wav`));
      expect(wav.channels[0]!.length).toBeGreaterThan(0);
      expect(image.width % 8).toBe(0);
    });
  }
});
