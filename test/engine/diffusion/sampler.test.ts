import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../../engine/diffusion/generator.js';
import { concatWidth, latentOf, rollColumns, slerp } from '../../../engine/diffusion/latent.js';
import { gaussianNoise } from '../../../engine/diffusion/noiseGenerator.js';
import { applyWeights } from '../../../engine/diffusion/promptEncoder.js';
import type { Recipe } from '../../../engine/diffusion/recipe.js';
import { readPng } from '../../../engine/io/png.js';
import { createScheduler } from '../../../engine/diffusion/schedulers/createScheduler.js';
import { schedulerConfigFromJson } from '../../../engine/diffusion/schedulers/schedulerConfig.js';
import { encodeImage } from '../../../engine/diffusion/vae.js';
import { loadModel } from '../../../engine/models/loadModel.js';
import { fixture } from '../../helpers/fixtures.js';

const N = 4 * 8 * 16;

describe('gaussianNoise', () => {
  it('is deterministic per seed and standard normal', () => {
    expect(gaussianNoise(42, 1000)).toEqual(gaussianNoise(42, 1000));
    expect(gaussianNoise(42, 1000)).not.toEqual(gaussianNoise(43, 1000));
    const x = gaussianNoise(7, 200_000);
    let mean = 0, sq = 0;
    for (const v of x) { mean += v; sq += v * v; }
    mean /= x.length;
    const std = Math.sqrt(sq / x.length - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 1)).toBeLessThan(0.01);
    // an odd count is the prefix of the even one
    expect(gaussianNoise(9, 5)).toEqual(gaussianNoise(9, 6).subarray(0, 5));
  });
});

describe('latent operations', () => {
  it('rolls columns like np.roll and back', () => {
    const l = latentOf(1, 2, 4, Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(Array.from(rollColumns(l, 1))).toEqual([3, 0, 1, 2, 7, 4, 5, 6]);
    expect(Array.from(rollColumns(l, -5))).toEqual([1, 2, 3, 0, 5, 6, 7, 4]);
  });

  it('joins latents side by side', () => {
    const a = latentOf(1, 2, 2, Float32Array.from([1, 2, 3, 4]));
    const b = latentOf(1, 2, 1, Float32Array.from([9, 8]));
    expect(Array.from(concatWidth([a, b]).data)).toEqual([1, 2, 9, 3, 4, 8]);
  });

  it('slerps between orthogonal noises on the sphere and lerps when nearly parallel', () => {
    const a = Float32Array.from([1, 0]), b = Float32Array.from([0, 1]);
    const mid = slerp(0.5, a, b);
    expect(Math.hypot(mid[0]!, mid[1]!)).toBeCloseTo(1, 6);
    expect(Array.from(slerp(0.5, a, Float32Array.from([1, 1e-3])))).toEqual([1, 5e-4].map((v) => Math.fround(v)));
  });

  it('applies prompt weights and keeps the embedding mean', () => {
    const e = Float32Array.from([1, 2, 3, 4, 5, 6]);
    applyWeights(e, Float32Array.from([1, 1.5, 1]));
    expect(e.reduce((s, v) => s + v, 0)).toBeCloseTo(21, 4);
    expect(e[2]! / e[0]!).toBeCloseTo(4.5, 5); // row 1 scaled by 1.5 relative to row 0
  });
});

describe('Sampler on the tiny models', () => {
  let generator: Generator;
  beforeAll(async () => {
    generator = await Generator.load({ audioModel: fixture('tiny-sd/audio'), pictureModel: fixture('tiny-sd/picture') });
  });
  afterAll(() => generator.dispose());

  const init = readPng(fixture('golden/og_beat_128x64.png'));
  const img2img = (mask?: Uint8Array): Recipe => ({
    mode: 'alternate', scheduler: 'pndm', steps: 20, width: 128, height: 64,
    blocks: [{ model: 'audio', prompt: 'steady beat', guidance: 7 }],
    init: { rgb: init.rgb, strength: 0.6, ...(mask ? { mask } : {}) },
  });

  it('an all-white mask (repaint everything) changes nothing; an all-black one keeps the init image', async () => {
    const noise = gaussianNoise(3, N);
    const plain = await generator.generate({ recipe: img2img(), noise });
    const white = await generator.generate({ recipe: img2img(new Uint8Array(128 * 64).fill(255)), noise });
    expect(white.latent.data).toEqual(plain.latent.data);

    const black = await generator.generate({ recipe: img2img(new Uint8Array(128 * 64).fill(0)), noise });
    // kept regions follow the init latents noised to the current timestep: after the last step,
    // exactly add_noise(x0, noise, t_last)
    const audio = await loadModel(fixture('tiny-sd/audio'));
    try {
      const x0 = await encodeImage(audio, init);
      const scheduler = createScheduler('pndm', schedulerConfigFromJson(audio.folder.schedulerConfig));
      scheduler.setTimesteps(20);
      const expected = scheduler.addNoise(x0.data, noise, scheduler.timesteps.at(-1)!);
      let diff = 0, scale = 0;
      for (let i = 0; i < N; i++) { diff = Math.max(diff, Math.abs(black.latent.data[i]! - expected[i]!)); scale = Math.max(scale, Math.abs(expected[i]!)); }
      expect(diff / scale).toBeLessThan(1e-6);
    } finally {
      await audio.dispose();
    }
    expect(plain.latent.data).not.toEqual(black.latent.data);
  });

  it('decodes joined latents as one wider picture', async () => {
    const recipe: Recipe = { mode: 'alternate', scheduler: 'euler', steps: 4, width: 128, height: 64, blocks: [{ model: 'picture', prompt: 'castle', guidance: 9 }] };
    const a = await generator.generate({ recipe, noise: gaussianNoise(1, N) });
    const b = await generator.generate({ recipe, noise: gaussianNoise(2, N) });
    const joined = await generator.decode(concatWidth([a.latent, b.latent]), {});
    expect([joined.width, joined.height]).toEqual([256, 64]);
  });

  it('can be abandoned mid-loop', async () => {
    const abort = new AbortController();
    const run = generator.generate({
      recipe: { mode: 'alternate', scheduler: 'euler', steps: 20, width: 128, height: 64, blocks: [{ model: 'audio', prompt: 'x', guidance: 7 }] },
      noise: gaussianNoise(1, N), signal: abort.signal, onStep: (step) => { if (step === 3) abort.abort(); },
    });
    await expect(run).rejects.toThrow('generation abandoned');
  });

  it('weights a (word:1.5) prompt differently from the plain prompt', async () => {
    const recipe = (prompt: string): Recipe => ({ mode: 'alternate', scheduler: 'euler', steps: 4, width: 128, height: 64, blocks: [{ model: 'audio', prompt, guidance: 7 }] });
    const plain = await generator.generate({ recipe: recipe('steady beat'), noise: gaussianNoise(1, N) });
    const weighted = await generator.generate({ recipe: recipe('(steady:1.5) beat'), noise: gaussianNoise(1, N) });
    expect(weighted.latent.data).not.toEqual(plain.latent.data);
  });

  it('LCM at guidance 1 runs the conditional batch alone, as CFG at g = 1 would (4 steps, one UNet call each)', async () => {
    const recipe = (guidance: number): Recipe => ({ mode: 'alternate', scheduler: 'lcm', steps: 4, width: 128, height: 64, blocks: [{ model: 'audio', prompt: 'steady beat', guidance }] });
    const noise = gaussianNoise(5, N);
    const alone = await generator.generate({ recipe: recipe(1), noise });
    const cfg = await generator.generate({ recipe: recipe(1 + 1e-6), noise });
    expect(alone.unetCalls).toBe(4);
    let diff = 0, scale = 0;
    for (let i = 0; i < N; i++) { diff = Math.max(diff, Math.abs(alone.latent.data[i]! - cfg.latent.data[i]!)); scale = Math.max(scale, Math.abs(cfg.latent.data[i]!)); }
    expect(diff / scale).toBeLessThan(1e-4);
    // the re-noising between steps follows from the initial noise: another noise, another result
    const other = await generator.generate({ recipe: recipe(1), noise: gaussianNoise(6, N) });
    expect(other.latent.data).not.toEqual(alone.latent.data);
    expect((await generator.generate({ recipe: recipe(1), noise })).latent.data).toEqual(alone.latent.data);
  });

  it("scheduler 'model' takes the kind the model folder's scheduler_config.json names", async () => {
    const recipe = (scheduler: Recipe['scheduler']): Recipe => ({ mode: 'alternate', scheduler, steps: 5, width: 128, height: 64, blocks: [{ model: 'audio', prompt: 'x', guidance: 7 }] });
    const noise = gaussianNoise(2, N);
    const fromModel = await generator.generate({ recipe: recipe('model'), noise });
    expect(fromModel.latent.data).toEqual((await generator.generate({ recipe: recipe('pndm'), noise })).latent.data);
    expect(fromModel.latent.data).not.toEqual((await generator.generate({ recipe: recipe('euler'), noise })).latent.data);
  });
});
