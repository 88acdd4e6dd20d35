/**
 * `npm run bench:pipeline`: the sampler's own cost per denoising step (tokenising, CFG, scheduler,
 * roll, copies: everything outside UNet session.run) as a share of the step, on a UNet big enough
 * that a step takes at least 50 ms on the CPU. The UNet is written here with our ONNX writer: the
 * tiny audio model's folder with its UNet replaced by a stack of square MatMuls (BENCH_UNET_WIDTH, BENCH_UNET_LAYERS) (same input and
 * output names, int64 timestep). Also checks that heap use does not grow with the step count.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gaussianNoise } from '../../engine/diffusion/noiseGenerator.js';
import type { Recipe } from '../../engine/diffusion/recipe.js';
import { Sampler } from '../../engine/diffusion/sampler.js';
import { loadModel } from '../../engine/models/loadModel.js';
import { type Initializer, type NodeSpec, encodeOnnxModel } from '../../engine/onnx/onnxWriter.js';

const WIDTH = Number(process.env.BENCH_UNET_WIDTH ?? 2048);
const LAYERS = Number(process.env.BENCH_UNET_LAYERS ?? 8);
const fixture = (p: string) => fileURLToPath(new URL(`../../../test/fixtures/${p}`, import.meta.url));

function heavyUnet(width: number, layers: number): Uint8Array {
  let seed = 1;
  const random = (n: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) / Math.sqrt(width));
  const nodes: NodeSpec[] = [{ op: 'MatMul', inputs: ['encoder_hidden_states', 'w0'], outputs: ['h0'] }];
  const initializers: Initializer[] = [{ name: 'w0', dims: [16, width], data: random(16 * width) }];
  for (let i = 1; i <= layers; i++) {
    initializers.push({ name: `w${i}`, dims: [width, width], data: random(width * width) });
    nodes.push({ op: 'MatMul', inputs: [`h${i - 1}`, `w${i}`], outputs: [`m${i}`] }, { op: 'Tanh', inputs: [`m${i}`], outputs: [`h${i}`] });
  }
  initializers.push({ name: 'keep', dims: [], data: Float32Array.of(0.98) }, { name: 'mix', dims: [], data: Float32Array.of(1e-3) });
  nodes.push(
    { op: 'ReduceMean', inputs: [`h${layers}`], outputs: ['mean'], attributes: { keepdims: 0 } },
    { op: 'Mul', inputs: ['sample', 'keep'], outputs: ['kept'] },
    { op: 'Mul', inputs: ['mean', 'mix'], outputs: ['bias'] },
    { op: 'Add', inputs: ['kept', 'bias'], outputs: ['out_sample'] },
  );
  return encodeOnnxModel({
    inputs: [
      { name: 'sample', type: 'float32', shape: ['batch', 4, 'height', 'width'] },
      { name: 'timestep', type: 'int64', shape: ['batch'] },
      { name: 'encoder_hidden_states', type: 'float32', shape: ['batch', 'sequence', 16] },
    ],
    outputs: [{ name: 'out_sample', type: 'float32', shape: ['batch', 4, 'height', 'width'] }],
    nodes,
    initializers,
    opset: 17,
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-bench-'));
  try {
    const modelDir = join(dir, 'audio');
    cpSync(fixture('tiny-sd/audio'), modelDir, { recursive: true });
    rmSync(join(modelDir, 'unet', 'model.onnx_data'));
    writeFileSync(join(modelDir, 'unet', 'model.onnx'), heavyUnet(WIDTH, LAYERS));
    const audio = await loadModel(modelDir);
    const sampler = new Sampler({ audio });
    const recipe = (steps: number): Recipe => ({
      mode: 'alternate', scheduler: 'euler', steps, width: 512, height: 512, shift: -5,
      blocks: [{ model: 'audio', prompt: 'steady beat', guidance: 7 }, { model: 'audio', prompt: 'jazz with piano', guidance: 9 }],
    });
    const noise = gaussianNoise(1, 4 * 64 * 64);
    console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, Node ${process.version}`);
    console.log(`UNet: ${LAYERS} x ${WIDTH}x${WIDTH} MatMul stack on [2, 77, 16] text states; latents 4x64x64 (512x512), CFG batch 2, Euler, shift -5`);
    await sampler.sample({ recipe: recipe(3), noise }); // warm-up: sessions, prompt cache
    for (const steps of [20, 50]) {
      const heapBefore = process.memoryUsage().heapUsed;
      const { timing, unetCalls } = await sampler.sample({ recipe: recipe(steps), noise });
      const heapAfter = process.memoryUsage().heapUsed;
      const perStep = timing.loopMs / steps;
      const overhead = (timing.loopMs - timing.unetMs) / steps;
      console.log(`${steps} steps: ${perStep.toFixed(1)} ms/step (UNet ${(timing.unetMs / unetCalls).toFixed(1)} ms), `
        + `outside session.run ${overhead.toFixed(2)} ms/step = ${((100 * overhead) / perStep).toFixed(2)}% of the step; `
        + `heap ${((heapAfter - heapBefore) / 1e6).toFixed(2)} MB after the loop`);
    }
    await audio.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
