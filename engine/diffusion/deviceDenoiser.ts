/**
 * The denoising loop with the latents kept where the UNet runs (GPU memory under `webgpu`): the
 * text embeddings are uploaded once per generation, each UNet output feeds a small step graph
 * (stepGraph.ts: guidance + scheduler step + next model input) on the same device, and only the
 * final latent comes back. Per step the CPU sends the timestep and five coefficients (and, for
 * LCM, the step's noise); nothing comes back until the end. On CPU sessions the same loop runs
 * with plain memory, which is how it is tested on every machine.
 */
import type { DiffusionModel } from '../models/loadModel.js';
import { encodeOnnxModel } from '../onnx/onnxWriter.js';
import { type DeviceTensor, type ModelSession, createSession } from '../ort/session.js';
import type { TransferCounts } from '../ort/transferMeter.js';
import { inputScale, probeStep } from './affineStep.js';
import { timestepTensor } from './guidedUnet.js';
import type { Scheduler } from './schedulers/scheduler.js';
import { COEF, type StepGraphShape, stepGraph } from './stepGraph.js';

/** One step's UNet call: which model, its prompt pair (or prompt alone) and guidance. */
export interface DeviceStepPlan {
  readonly model: DiffusionModel;
  /** [uncond; cond] (2 x sequence x hidden) or [cond] alone when guidance is 1 */
  readonly hidden: Float32Array;
  readonly guidance: number;
  /** key under which the uploaded hidden states are reused within one run */
  readonly key: number;
}

export interface DeviceDenoiseRequest {
  readonly scheduler: Scheduler;
  /** the starting latent [C, H, W] (noise * initNoiseSigma, or the noised init image) */
  readonly x: Float32Array;
  readonly dims: readonly [number, number, number];
  readonly startIndex: number;
  /** the UNet call of loop step k (0-based from startIndex) */
  readonly plan: (step: number) => DeviceStepPlan;
  readonly onStep?: (step: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface DeviceDenoiseResult {
  readonly x: Float32Array;
  readonly unetCalls: number;
  /** loop wall time (ends with the final download, so all device work is inside) */
  readonly loopMs: number;
  /** CPU <-> device copies during the loop, from the UNet's meter */
  readonly transfers: TransferCounts;
}

const floatType = (t: string): 'float32' | 'float16' => (t === 'float16' ? 'float16' : 'float32');

/** Step graphs per shape, opened on the UNet's provider and sharing its transfer meter. */
export class DeviceDenoiser {
  private readonly graphs = new Map<string, Promise<ModelSession>>();

  async denoise(request: DeviceDenoiseRequest): Promise<DeviceDenoiseResult> {
    const { scheduler, dims, startIndex } = request;
    const timesteps = scheduler.timesteps;
    const total = timesteps.length - startIndex;
    const first = request.plan(0);
    const meter = first.model.unet.meter;
    const before = meter.snapshot();
    const started = performance.now();
    const live = new Set<DeviceTensor>();
    const own = (d: DeviceTensor) => (live.add(d), d);
    const drop = (d: DeviceTensor | undefined) => { if (d && live.delete(d)) d.dispose(); };
    const hidden = new Map<number, DeviceTensor>();
    try {
      let x = own(await first.model.unet.upload({ type: 'float32', data: request.x, dims: [1, ...dims] }));
      let input = own(await first.model.unet.upload(modelInput(request.x, inputScale(scheduler, timesteps[startIndex]!), batchOf(first), dims),
        floatType(sampleType(first.model))));
      let unetCalls = 0;
      for (let i = startIndex; i < timesteps.length; i++) {
        if (request.signal?.aborted) throw new Error('generation abandoned');
        const step = i - startIndex;
        const t = timesteps[i]!;
        const plan = step === 0 ? first : request.plan(step);
        const unet = plan.model.unet;
        const batch = batchOf(plan);
        let states = hidden.get(plan.key);
        if (!states) {
          const sequence = plan.model.tokenizer.maxLength;
          states = own(await unet.upload({ type: 'float32', data: plan.hidden, dims: [batch, sequence, plan.hidden.length / batch / sequence] }, floatType(hiddenType(plan.model))));
          hidden.set(plan.key, states);
        }
        const eps = own((await unet.runOnDevice({ sample: input, timestep: timestepTensor(plan.model, t, batch), encoder_hidden_states: states }))[plan.model.unetOutput]!);
        unetCalls++;
        const { a, b, c, noiseIndex } = probeStep(scheduler, t);
        const last = i === timesteps.length - 1;
        const next = last ? plan : request.plan(step + 1);
        const scaleNext = last ? 1 : inputScale(scheduler, timesteps[i + 1]!);
        const shape: StepGraphShape = {
          epsType: floatType(eps.type), epsBatch: batch, nextType: floatType(sampleType(next.model)), nextBatch: batchOf(next), noise: c !== 0,
        };
        const coef = new Float32Array(5);
        coef[COEF.a] = a; coef[COEF.b] = b; coef[COEF.c] = c; coef[COEF.guidance] = plan.guidance; coef[COEF.scaleNext] = scaleNext;
        let z: DeviceTensor | undefined;
        if (c !== 0) {
          const noise = new Float32Array(request.x.length);
          scheduler.stepNoise!(noiseIndex!, noise);
          z = own(await unet.upload({ type: 'float32', data: noise, dims: [1, ...dims] }));
        }
        const graph = await this.graph(shape, unet);
        const out = await graph.runOnDevice({ x, eps, coef: { type: 'float32', data: coef, dims: [5] }, ...(z ? { z } : {}) });
        drop(x); drop(input); drop(eps); drop(z);
        x = own(out['x_next']!);
        input = own(out['unet_in']!);
        request.onStep?.(step + 1, total);
      }
      const result = await first.model.unet.download(x);
      return { x: result.data as Float32Array, unetCalls, loopMs: performance.now() - started, transfers: meter.since(before) };
    } finally {
      for (const d of live) d.dispose();
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.graphs.values()];
    this.graphs.clear();
    await Promise.all(all.map(async (g) => (await g).dispose()));
  }

  private graph(shape: StepGraphShape, unet: ModelSession): Promise<ModelSession> {
    const key = `${unet.provider}:${JSON.stringify(shape)}`;
    let g = this.graphs.get(key);
    if (!g) {
      g = createSession(encodeOnnxModel(stepGraph(shape)), { provider: unet.provider, meter: unet.meter }, `step graph ${key}`);
      this.graphs.set(key, g);
    }
    return g;
  }
}

const batchOf = (plan: DeviceStepPlan): 1 | 2 => (plan.guidance === 1 ? 1 : 2);
const sampleType = (model: DiffusionModel) => model.unet.inputs.find((i) => i.name === 'sample')!.type;
const hiddenType = (model: DiffusionModel) => model.unet.inputs.find((i) => i.name === 'encoder_hidden_states')!.type;

/** s x, repeated `batch` times: the first UNet input, made on the CPU. */
function modelInput(x: Float32Array, s: number, batch: number, dims: readonly [number, number, number]) {
  const data = new Float32Array(batch * x.length);
  for (let k = 0; k < batch; k++) for (let i = 0; i < x.length; i++) data[k * x.length + i] = s * x[i]!;
  return { type: 'float32' as const, data, dims: [batch, ...dims] };
}
