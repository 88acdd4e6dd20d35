import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../../engine/diffusion/generator.js';
import { gaussianNoise } from '../../../engine/diffusion/noiseGenerator.js';
import type { Recipe } from '../../../engine/diffusion/recipe.js';
import { readNodePlacement } from '../../../engine/ort/nodePlacement.js';
import { createSession } from '../../../engine/ort/session.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { closedFormUnetFolder } from '../../helpers/halfUnetModel.js';
import { GPU_INSTALL_HINT, gpuTestsDisabled, useLavapipeIfPresent } from '../../helpers/webgpu.js';
import { relErr } from '../diffusion/schedulers/reference64.js';

const N = 4 * 8 * 16;
const recipeOf = (extra: Partial<Recipe> = {}): Recipe => ({
  mode: 'alternate', scheduler: 'euler', steps: 8, width: 128, height: 64, timestepSpacing: 'linspace',
  blocks: [{ model: 'audio', prompt: 'steady beat', guidance: 7 }], ...extra,
});

/**
 * onnxruntime's WebGPU provider on this machine's Vulkan driver (lavapipe without a GPU): the GPU
 * code path, with device tensors, step graphs and transfer counts, on the tiny models.
 * Fails with GPU_INSTALL_HINT when no driver is accepted; SYNESTHETE_NO_GPU_TESTS=1 skips it.
 */
describe.skipIf(gpuTestsDisabled())('WebGPU provider (tiny models)', () => {
  let gpu: Generator, cpu: Generator;
  beforeAll(async () => {
    useLavapipeIfPresent();
    const warnings: string[] = [];
    gpu = await Generator.load({ audioModel: fixture('tiny-sd/audio'), provider: 'webgpu', onWarning: (m) => warnings.push(m) });
    if (warnings.length > 0) throw new Error(`${GPU_INSTALL_HINT}\n${warnings.join('\n')}`);
    cpu = await Generator.load({ audioModel: fixture('tiny-sd/audio'), deviceLoop: 'never' });
  });
  afterAll(async () => { await gpu?.dispose(); await cpu?.dispose(); });

  it('runs the denoising loop on the device and matches the CPU', async () => {
    const noise = gaussianNoise(4, N);
    const g = await gpu.generate({ recipe: recipeOf(), noise });
    const c = await cpu.generate({ recipe: recipeOf(), noise });
    expect(g.loop).toBe('device');
    expect(relErr(g.latent.data, c.latent.data)).toBeLessThan(1e-3);
    const lcm = recipeOf({ scheduler: 'lcm', steps: 4, blocks: [{ model: 'audio', prompt: 'steady beat', guidance: 1 }] });
    expect(relErr((await gpu.generate({ recipe: lcm, noise })).latent.data, (await cpu.generate({ recipe: lcm, noise })).latent.data)).toBeLessThan(1e-3);
  });

  it('copies only the timestep and five coefficients per step; the latent comes back once', async () => {
    const steps = 8;
    const g = await gpu.generate({ recipe: recipeOf({ steps }), noise: gaussianNoise(5, N) });
    // before the loop: latent, first UNet input, embeddings; per step: timestep (int64 x2) + coef
    expect(g.transfers.uploads).toBe(3 + 2 * steps);
    expect(g.transfers.uploadBytes).toBe(N * 4 + 2 * N * 4 + 2 * 77 * 16 * 4 + steps * (16 + 20));
    expect(g.transfers).toMatchObject({ downloads: 1, downloadBytes: N * 4 });
    // the host loop on the same GPU moves the CFG batch both ways every step
    const host = await Generator.load({ audioModel: fixture('tiny-sd/audio'), provider: 'webgpu', deviceLoop: 'never' });
    try {
      const h = await host.generate({ recipe: recipeOf({ steps }), noise: gaussianNoise(5, N) });
      expect(h.loop).toBe('host');
      expect(h.transfers.downloads).toBe(steps);
      expect(h.transfers.downloadBytes).toBe(steps * 2 * N * 4);
      expect(h.transfers.uploadBytes).toBeGreaterThan(steps * 2 * N * 4);
    } finally {
      await host.dispose();
    }
  });

  it('runs an fp16 UNet with the casts on the device, as close to its float32 twin as on the CPU', async () => {
    const half = await Generator.load({ audioModel: closedFormUnetFolder('float16'), provider: 'webgpu' });
    const full = await Generator.load({ audioModel: closedFormUnetFolder('float32'), deviceLoop: 'never' });
    try {
      const recipe: Recipe = { ...recipeOf(), steps: 6 };
      const noise = gaussianNoise(3, N);
      const h = await half.generate({ recipe, noise });
      expect(h.loop).toBe('device');
      expect(relErr(h.latent.data, (await full.generate({ recipe, noise })).latent.data)).toBeLessThan(5e-3);
    } finally {
      await half.dispose();
      await full.dispose();
    }
  });

  it('reports where each UNet node ran', async () => {
    const dir = tempDir();
    const session = await createSession(fixture('tiny-sd/audio/unet/model.onnx'), { provider: 'webgpu', profileDir: dir });
    try {
      expect(session.provider).toBe('webgpu');
      await session.run({
        sample: { type: 'float32', data: new Float32Array(2 * N), dims: [2, 4, 8, 16] },
        timestep: { type: 'int64', data: BigInt64Array.of(500n, 500n), dims: [2] },
        encoder_hidden_states: { type: 'float32', data: new Float32Array(2 * 77 * 16), dims: [2, 77, 16] },
      });
      const placement = readNodePlacement(session.endProfiling()!);
      expect(placement.nodesByProvider['WebGpuExecutionProvider']).toBeGreaterThan(20);
      // what stays on the CPU is shape arithmetic and the timestep's cast, not the network's work
      for (const n of placement.computeFallbacks) expect(n.outputBytes, `${n.op} ${n.name}`).toBeLessThanOrEqual(64);
      expect(placement.memcpy.nodes).toBeGreaterThan(0);
    } finally {
      await session.dispose();
    }
  });
});
