import { UserError } from '../errors.js';
import type { DiffusionModel } from '../models/loadModel.js';
import { affineUnsupported } from './affineStep.js';
import { DeviceDenoiser } from './deviceDenoiser.js';
import { GuidedUnet } from './guidedUnet.js';
import type { TransferCounts } from '../ort/transferMeter.js';
import { type Latent, latentOf, lerp, rollColumns, slerp } from './latent.js';
import { PromptEncoder } from './promptEncoder.js';
import { type ModelRole, type Recipe, activeBlocks } from './recipe.js';
import type { Scheduler } from './schedulers/scheduler.js';
import { createScheduler, schedulerKindOf } from './schedulers/createScheduler.js';
import { schedulerConfigFromJson } from './schedulers/schedulerConfig.js';
import { seedFromNoise, seededStepNoise } from './schedulers/stepNoise.js';
import { VAE_FACTOR, encodeImage } from './vae.js';

/**
 * Stable Diffusion 1.x's training schedule, for a model folder without scheduler_config.json
 * (diffusers' class defaults, linear 0.0001..0.02, would be wrong for every SD 1.x model).
 */
const SD1_SCHEDULER_CONFIG = {
  _class_name: 'PNDMScheduler', num_train_timesteps: 1000, beta_start: 0.00085, beta_end: 0.012,
  beta_schedule: 'scaled_linear', steps_offset: 1, set_alpha_to_one: false, skip_prk_steps: true, clip_sample: false,
};

/** The models a recipe can use; `picture` only when a block names it. */
export interface SamplerModels {
  readonly audio: DiffusionModel;
  readonly picture?: DiffusionModel;
}

export interface SampleRequest {
  readonly recipe: Recipe;
  /** initial noise [C x H x W] (see noiseGenerator.ts, or a file) */
  readonly noise: Float32Array;
  /** interpolation: the noise at alpha = 1 (slerped with `noise`) */
  readonly noiseB?: Float32Array;
  /** after every denoising step (1-based count, total) */
  readonly onStep?: (step: number, total: number) => void;
  /** checked before every step: a performer can abandon a generation mid-loop */
  readonly signal?: AbortSignal;
}

export interface SampleResult {
  readonly latent: Latent;
  /** UNet runs (each a CFG batch of 2, or 1 at guidance 1) */
  readonly unetCalls: number;
  /**
   * wall time of the denoising loop and the part of it spent inside UNet session.run (ms); on the
   * device loop the UNet and step graphs are not told apart (unetMs = loopMs)
   */
  readonly timing: { readonly loopMs: number; readonly unetMs: number };
  /**
   * where the loop ran: `device` = latents kept on the UNet's device (deviceDenoiser.ts), `host` =
   * every step's estimate back on the CPU; `hostReason` says why a GPU run used the host loop
   */
  readonly loop: 'device' | 'host';
  readonly hostReason?: string;
  /** CPU <-> GPU copies during the loop (all zero on the CPU provider) */
  readonly transfers: TransferCounts;
}

export interface SamplerOptions {
  /**
   * `auto` (default): the device loop when the audio UNet runs on a GPU provider and the recipe
   * allows it; `always`: also on the CPU (how the loop is tested everywhere); `never`: host loop.
   */
  readonly deviceLoop?: 'auto' | 'always' | 'never';
}

/**
 * Composed sampling: the denoising loop of diffusers' pipelines, written out, with a plan deciding
 * per step which model(s) run with which prompt and guidance (alternate or weighted), optional
 * img2img start, Riffusion interpolation and latent roll. Stages: prompts -> timesteps -> latents
 * -> loop -> roll back.
 */
export class Sampler {
  private readonly encoders = new Map<ModelRole, PromptEncoder>();
  private readonly unets = new Map<ModelRole, GuidedUnet>();
  private readonly device = new DeviceDenoiser();

  constructor(private readonly models: SamplerModels, private readonly options: SamplerOptions = {}) {}

  /** Releases the device loop's step graphs (the models belong to the caller). */
  dispose(): Promise<void> {
    return this.device.dispose();
  }

  async sample(request: SampleRequest): Promise<SampleResult> {
    const { recipe } = request;
    const channels = this.models.audio.latentChannels ?? 4;
    const dims = [channels, recipe.height / VAE_FACTOR, recipe.width / VAE_FACTOR] as const;
    this.check(recipe, request, dims);
    const alpha = recipe.alpha ?? 0;
    const embeddings = await this.encodePrompts(recipe, alpha);
    const scheduler = this.scheduler(recipe);
    const noise = request.noiseB ? slerp(alpha, request.noise, request.noiseB) : request.noise;
    // LCM re-noises between steps: that noise follows from the initial noise (still the only random input)
    if (scheduler.stepNoise) scheduler.stepNoise = seededStepNoise(seedFromNoise(noise));
    const { latent, startIndex, x0 } = await this.prepareLatents(recipe, scheduler, noise, dims, alpha);
    const keep = recipe.init?.mask && x0 ? keepWeights(recipe.init.mask, recipe.width, recipe.height, dims) : undefined;

    const wanted = this.options.deviceLoop === 'always' || (this.options.deviceLoop !== 'never' && this.models.audio.unet.provider !== 'cpu');
    const hostReason = wanted ? deviceLoopUnsupported(recipe, scheduler, keep !== undefined) : undefined;
    if (wanted && hostReason === undefined) return this.sampleOnDevice(request, scheduler, embeddings, latent, startIndex, dims, alpha);

    const x = latent.data;
    const size = x.length;
    const reference = new Float32Array(keep ? size : 0);
    const modelInput = new Float32Array(size);
    const eps = new Float32Array(size);
    const blockEps = new Float32Array(size);
    const next = new Float32Array(size);
    const shift = recipe.shift ?? 0;
    const timesteps = scheduler.timesteps;
    const total = timesteps.length - startIndex;
    let unetCalls = 0;
    const meter = this.models.audio.unet.meter;
    const transfersBefore = meter.snapshot();
    const unetMsBefore = this.unetMs();
    const loopStart = performance.now();
    for (let i = startIndex; i < timesteps.length; i++) {
      if (request.signal?.aborted) throw new Error('generation abandoned');
      const t = timesteps[i]!;
      const step = i - startIndex;
      scheduler.scaleModelInput(x, t, modelInput);
      const blocks = activeBlocks(recipe, step);
      eps.fill(0);
      for (const { block, index, weight } of blocks) {
        const guidance = block.guidanceB === undefined ? block.guidance : block.guidance + alpha * (block.guidanceB - block.guidance);
        const { uncond, cond } = embeddings[index]!;
        await this.unet(block.model).predict(modelInput, dims, t, uncond, cond, guidance, blocks.length === 1 ? eps : blockEps);
        unetCalls++;
        if (blocks.length > 1) for (let k = 0; k < size; k++) eps[k]! += weight * blockEps[k]!;
      }
      scheduler.step(eps, t, x, next);
      if (keep && x0) {
        // Riffusion's inpainting: kept regions follow the init latents, noised to the current t
        scheduler.addNoise(x0, noise, t, reference);
        for (let k = 0; k < size; k++) next[k] = reference[k]! * keep[k]! + next[k]! * (1 - keep[k]!);
      }
      if (shift !== 0) rollColumns(latentOf(dims[0], dims[1], dims[2], next), shift, x);
      else x.set(next);
      request.onStep?.(step + 1, total);
    }
    if (shift !== 0) {
      rollColumns(latentOf(dims[0], dims[1], dims[2], x), -shift * total, next);
      x.set(next);
    }
    const timing = { loopMs: performance.now() - loopStart, unetMs: this.unetMs() - unetMsBefore };
    return {
      latent: latentOf(dims[0], dims[1], dims[2], x), unetCalls, timing, loop: 'host', transfers: meter.since(transfersBefore),
      ...(hostReason ? { hostReason } : {}),
    };
  }

  private async sampleOnDevice(request: SampleRequest, scheduler: Scheduler, embeddings: Array<{ uncond: Float32Array; cond: Float32Array }>,
    latent: Latent, startIndex: number, dims: readonly [number, number, number], alpha: number): Promise<SampleResult> {
    const { recipe } = request;
    const plans = recipe.blocks.map((block, index) => {
      const guidance = block.guidanceB === undefined ? block.guidance : block.guidance + alpha * (block.guidanceB - block.guidance);
      const { uncond, cond } = embeddings[index]!;
      const hidden = guidance === 1 ? cond : new Float32Array([...uncond, ...cond]);
      return { model: this.models[block.model]!, hidden, guidance, key: index };
    });
    const result = await this.device.denoise({
      scheduler, x: latent.data, dims, startIndex,
      plan: (step) => plans[activeBlocks(recipe, step)[0]!.index]!,
      ...(request.onStep ? { onStep: request.onStep } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return {
      latent: latentOf(dims[0], dims[1], dims[2], result.x), unetCalls: result.unetCalls,
      timing: { loopMs: result.loopMs, unetMs: result.loopMs }, loop: 'device', transfers: result.transfers,
    };
  }

  private unetMs(): number {
    let ms = 0;
    for (const u of this.unets.values()) ms += u.runMs;
    return ms;
  }

  private check(recipe: Recipe, request: SampleRequest, dims: readonly [number, number, number]): void {
    if (recipe.blocks.length === 0) throw new UserError('recipe: plan has no blocks');
    for (const b of recipe.blocks) if (!this.models[b.model]) throw new UserError(`recipe: a block uses the ${b.model} model, which is not loaded`);
    if (recipe.width % VAE_FACTOR !== 0 || recipe.height % VAE_FACTOR !== 0) {
      throw new UserError(`recipe: width and height must be multiples of ${VAE_FACTOR} (got ${recipe.width}x${recipe.height})`);
    }
    if (recipe.init?.mask && recipe.shift) throw new UserError('recipe: a mask and a latent shift cannot be combined (the mask would not move with the latent)');
    const n = dims[0] * dims[1] * dims[2];
    if (request.noise.length !== n) throw new UserError(`noise: expected ${dims.join('x')} = ${n} values, got ${request.noise.length}`);
    if (request.noiseB && request.noiseB.length !== n) throw new UserError(`noise B: expected ${n} values, got ${request.noiseB.length}`);
  }

  private encoder(role: ModelRole): PromptEncoder {
    let e = this.encoders.get(role);
    if (!e) this.encoders.set(role, (e = new PromptEncoder(this.models[role]!)));
    return e;
  }

  private unet(role: ModelRole): GuidedUnet {
    let u = this.unets.get(role);
    if (!u) this.unets.set(role, (u = new GuidedUnet(this.models[role]!)));
    return u;
  }

  /** Per block: the unconditional (negative-prompt) and conditional embeddings, interpolated. */
  private async encodePrompts(recipe: Recipe, alpha: number) {
    return Promise.all(recipe.blocks.map(async (b) => {
      const enc = this.encoder(b.model);
      const uncond = await enc.encode(b.negativePrompt ?? '');
      const condA = await enc.encode(b.prompt);
      const cond = b.promptB === undefined ? condA : lerp(condA, await enc.encode(b.promptB), alpha);
      return { uncond, cond };
    }));
  }

  private scheduler(recipe: Recipe): Scheduler {
    const json = this.models.audio.folder.schedulerConfig ?? SD1_SCHEDULER_CONFIG;
    const config = schedulerConfigFromJson(json);
    const kind = recipe.scheduler === 'model' ? schedulerKindOf(json, this.models.audio.folder.dir) : recipe.scheduler;
    const scheduler = createScheduler(kind, config, {
      ...(recipe.timestepSpacing ? { timestepSpacing: recipe.timestepSpacing } : {}),
      ...(recipe.stepsOffset !== undefined ? { stepsOffset: recipe.stepsOffset } : {}),
    });
    scheduler.setTimesteps(recipe.steps);
    return scheduler;
  }

  /**
   * txt2img: noise * initNoiseSigma from the first timestep. img2img (Riffusion): init latents
   * noised at t0 = timesteps[start] with init = min(int(steps * strength) + steps_offset, steps)
   * and start = steps - init + steps_offset, then denoised over timesteps[start:].
   */
  private async prepareLatents(recipe: Recipe, scheduler: Scheduler, noise: Float32Array, dims: readonly [number, number, number], alpha: number) {
    if (!recipe.init) {
      const data = new Float32Array(noise.length);
      for (let i = 0; i < data.length; i++) data[i] = noise[i]! * scheduler.initNoiseSigma;
      return { latent: latentOf(dims[0], dims[1], dims[2], data), startIndex: 0, x0: undefined };
    }
    const { init } = recipe;
    const strength = init.strengthB === undefined ? init.strength : init.strength + alpha * (init.strengthB - init.strength);
    const offset = scheduler.config.stepsOffset;
    const initSteps = Math.min(Math.trunc(recipe.steps * strength) + offset, recipe.steps);
    const startIndex = Math.min(scheduler.timesteps.length - 1, Math.max(0, recipe.steps - initSteps + offset));
    const vaeModel = this.models[recipe.vae ?? 'audio'] ?? this.models.audio;
    const x0 = await encodeImage(vaeModel, { width: recipe.width, height: recipe.height, rgb: init.rgb });
    const noised = scheduler.addNoise(x0.data, noise, scheduler.timesteps[startIndex]!);
    return { latent: latentOf(dims[0], dims[1], dims[2], noised), startIndex, x0: x0.data };
  }
}

/** Why a recipe cannot use the device loop (it then runs on the host), or undefined. */
function deviceLoopUnsupported(recipe: Recipe, scheduler: Scheduler, masked: boolean): string | undefined {
  if (recipe.mode === 'weighted' && recipe.blocks.length > 1) return 'weighted plans average several estimates per step';
  if (masked) return 'masks blend with the init image every step';
  if ((recipe.shift ?? 0) !== 0) return 'latent shifts roll the latent every step';
  return affineUnsupported(scheduler);
}

/**
 * Riffusion's mask at latent resolution: nearest-neighbour downsampling of the grey mask, inverted
 * (white = repaint -> 0, black = keep -> 1), the same for every channel.
 */
function keepWeights(mask: Uint8Array, width: number, height: number, dims: readonly [number, number, number]): Float32Array {
  const [c, h, w] = dims;
  if (mask.length !== width * height) throw new UserError(`mask: expected ${width}x${height} grey pixels, got ${mask.length}`);
  const out = new Float32Array(c * h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sy = Math.min(height - 1, Math.floor((y * height) / h)), sx = Math.min(width - 1, Math.floor((x * width) / w));
      const keep = 1 - mask[sy * width + sx]! / 255;
      for (let ch = 0; ch < c; ch++) out[(ch * h + y) * w + x] = keep;
    }
  }
  return out;
}
