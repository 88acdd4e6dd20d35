import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputScale, probeStep } from '../../../engine/diffusion/affineStep.js';
import { Generator } from '../../../engine/diffusion/generator.js';
import { gaussianNoise } from '../../../engine/diffusion/noiseGenerator.js';
import type { Recipe } from '../../../engine/diffusion/recipe.js';
import { createScheduler } from '../../../engine/diffusion/schedulers/createScheduler.js';
import { readPng } from '../../../engine/io/png.js';
import { fixture } from '../../helpers/fixtures.js';
import { closedFormUnetFolder } from '../../helpers/halfUnetModel.js';
import { SD_CONFIG } from './schedulers/schedulerContract.js';
import { relErr } from './schedulers/reference64.js';

const N = 4 * 8 * 16;

/**
 * The device loop (latents kept with the UNet, step graphs on its provider) on CPU sessions: the
 * same code the WebGPU path runs (test/gpu/ runs it on a GPU provider), compared with the host loop.
 */
describe('device denoising loop on the CPU provider', () => {
  let device: Generator, host: Generator;
  beforeAll(async () => {
    const models = { audioModel: fixture('tiny-sd/audio'), pictureModel: fixture('tiny-sd/picture') };
    device = await Generator.load({ ...models, deviceLoop: 'always' });
    host = await Generator.load({ ...models, deviceLoop: 'never' });
  });
  afterAll(async () => { await device.dispose(); await host.dispose(); });

  const waltz: Recipe = {
    mode: 'alternate', scheduler: 'euler', steps: 12, width: 128, height: 64, timestepSpacing: 'linspace',
    blocks: [{ model: 'picture', prompt: 'princess', guidance: 11 }, { model: 'audio', prompt: 'steady beat', guidance: 7 }, { model: 'audio', prompt: 'steady beat', guidance: 7 }],
  };

  it.each([
    ['euler waltz (two models, CFG)', waltz],
    ['lcm, 4 steps at guidance 1 (batch 1, re-noising)', { ...waltz, scheduler: 'lcm', steps: 4, blocks: [{ model: 'audio', prompt: 'steady beat', guidance: 1 }] } as Recipe],
    ['ddim img2img from mid-list', { ...waltz, scheduler: 'ddim', steps: 10, blocks: [{ model: 'audio', prompt: 'beat', guidance: 5 }], init: { rgb: readPng(fixture('golden/og_beat_128x64.png')).rgb, strength: 0.5 } } as Recipe],
  ])('%s matches the host loop', async (_name, recipe) => {
    const noise = gaussianNoise(9, N);
    const d = await device.generate({ recipe, noise });
    const h = await host.generate({ recipe, noise });
    expect(d.loop).toBe('device');
    expect(h.loop).toBe('host');
    expect(d.unetCalls).toBe(h.unetCalls);
    expect(relErr(d.latent.data, h.latent.data)).toBeLessThan(2e-5);
    // CPU sessions copy nothing across a device boundary
    expect(d.transfers).toEqual({ uploads: 0, uploadBytes: 0, downloads: 0, downloadBytes: 0 });
  });

  it('says why a recipe runs on the host: history schedulers, masks, shifts, weighted plans', async () => {
    const noise = gaussianNoise(1, N);
    const pndm = await device.generate({ recipe: { ...waltz, scheduler: 'pndm', steps: 4 }, noise });
    expect(pndm).toMatchObject({ loop: 'host', hostReason: 'the pndm scheduler keeps earlier estimates' });
    const shifted = await device.generate({ recipe: { ...waltz, steps: 3, shift: 2 }, noise });
    expect(shifted.hostReason).toMatch(/shift/);
    const weighted = await device.generate({ recipe: { ...waltz, mode: 'weighted', steps: 3 }, noise });
    expect(weighted.hostReason).toMatch(/weighted/);
  });
});

describe('device loop with an fp16 UNet (float16 sample, text states and output)', () => {
  it('casts on the device and matches the float32 twin on the host loop', async () => {
    const half = await Generator.load({ audioModel: closedFormUnetFolder('float16'), deviceLoop: 'always' });
    const full = await Generator.load({ audioModel: closedFormUnetFolder('float32'), deviceLoop: 'never' });
    try {
      const recipe: Recipe = { mode: 'alternate', scheduler: 'euler', steps: 10, width: 128, height: 64, blocks: [{ model: 'audio', prompt: 'beat', guidance: 7 }] };
      const noise = gaussianNoise(3, N);
      const h = await half.generate({ recipe, noise });
      const f = await full.generate({ recipe, noise });
      expect(h.loop).toBe('device');
      const err = relErr(h.latent.data, f.latent.data);
      expect(err).toBeLessThan(5e-3);
      expect(err).toBeGreaterThan(0); // float16 really rounded something
    } finally {
      await half.dispose();
      await full.dispose();
    }
  });
});

describe('affine step probe', () => {
  it("reads Euler's step as x + dt eps and its input scale as 1 / sqrt(sigma^2 + 1)", () => {
    const s = createScheduler('euler', SD_CONFIG, { timestepSpacing: 'linspace' });
    s.setTimesteps(10);
    const t = s.timesteps[0]!;
    const sigmas = (s as unknown as { sigmas: Float64Array }).sigmas;
    expect(inputScale(s, t)).toBeCloseTo(1 / Math.sqrt(sigmas[0]! ** 2 + 1), 6);
    const step = probeStep(s, t);
    expect(step.a).toBe(1);
    expect(step.b).toBeCloseTo(sigmas[1]! - sigmas[0]!, 5);
    expect(step.c).toBe(0);
    // the probe advanced the scheduler like a real step: the next t is accepted, a repeat is not
    expect(() => probeStep(s, s.timesteps[1]!)).not.toThrow();
    expect(() => probeStep(s, s.timesteps[1]!)).toThrow(/expects/);
  });

  it("reads LCM's re-noising coefficient and the noise index it asks for; the real noise source is restored", () => {
    const s = createScheduler('lcm', SD_CONFIG);
    const real = (k: number, out: Float32Array) => out.fill(k);
    s.stepNoise = real;
    s.setTimesteps(4);
    const first = probeStep(s, 999);
    expect(first.noiseIndex).toBe(0);
    expect(first.c).toBeGreaterThan(0);
    expect(s.stepNoise).toBe(real);
    probeStep(s, 759); probeStep(s, 499);
    expect(probeStep(s, 259)).toMatchObject({ c: 0, noiseIndex: undefined });
  });
});
