/**
 * Latent Consistency Model multistep sampling (Luo et al. 2023, arXiv:2310.04378, Algorithm 3;
 * LCM-LoRA, arXiv:2311.05556), matching diffusers `LCMScheduler` (0.25–0.32) without thresholding.
 * For LCM-LoRA fused Stable Diffusion 1.5 fine-tunes: 2 to 8 steps, guidance folded into the
 * distilled model (run it with guidance 1, i.e. no CFG, or a low value such as 1 to 2).
 *
 * Notation (paper -> diffusers -> here): alpha_t -> alpha_prod_t -> a; alpha_{prev} ->
 * alpha_prod_t_prev -> aPrev; c_skip(t), c_out(t) -> c_skip, c_out -> cSkip, cOut (the consistency
 * boundary condition with sigma_data = 0.5 and t scaled by `timestepScaling`); f_theta(x, t) ->
 * denoised -> den; z ~ N(0, I) -> noise (from the injected {@link StepNoise}, not drawn by the step).
 *
 * Timesteps: the LCM "skipping" schedule. The distillation grid is k * (1..N) - 1 with N =
 * `originalInferenceSteps` (50) and k = T // N; n of its entries, evenly spaced from the top
 * (np.floor(np.linspace(0, N, n, endpoint=False))), e.g. n = 4 -> [999, 759, 499, 259].
 * `timestepSpacing` and `stepsOffset` are carried in the config but not used, as in diffusers.
 */
import type { DiffusersSchedulerJson, Scheduler, SchedulerConfig, SchedulerOptions, StepNoise } from './scheduler.js';
import { DIFFUSERS_DEFAULTS, resolveConfig, schedulerConfigToJson } from './schedulerConfig.js';
import { addNoiseVp, alphasCumprod, makeBetas } from './noiseSchedule.js';
import { checkSameLength, countedStepIndex, outBuffer } from './stepBuffers.js';
import { seededStepNoise } from './stepNoise.js';
import { UserError } from '../../errors.js';

const f32 = Math.fround;
/** sigma_data of the consistency boundary condition (diffusers hard-codes 0.5) */
const SIGMA_DATA = 0.5;

/** Config of {@link LCMScheduler}. */
export interface LCMConfig extends SchedulerConfig {
  readonly originalInferenceSteps: number;
  readonly timestepScaling: number;
  readonly setAlphaToOne: boolean;
  readonly clipSample: boolean;
  readonly clipSampleRange: number;
}

/**
 * LCM scheduler. Model input is the sample itself; initNoiseSigma = 1. Between steps (not after the
 * last) the sample is re-noised to the next timestep with fresh N(0, 1) noise from `stepNoise`.
 * @example
 * const s = new LCMScheduler({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });
 * s.setTimesteps(4); // timesteps [999, 759, 499, 259]
 */
export class LCMScheduler implements Scheduler {
  static readonly className = 'LCMScheduler';
  readonly kind = 'lcm' as const;
  readonly order = 1;
  readonly initNoiseSigma = 1;
  readonly config: LCMConfig;
  /** alpha-bar per training timestep (float32 values) */
  readonly alphasCumprod: Float64Array;
  /** alpha-bar used after the last step */
  readonly finalAlphaCumprod: number;
  /**
   * Fresh standard normal noise for the re-noising after step `stepIndex` (0-based). Pure in its
   * arguments, so a run repeated after `reset()` is the same. Default: seed 0 (the sampler sets one).
   */
  stepNoise: StepNoise = seededStepNoise(0);
  private _timesteps: Float64Array = new Float64Array(0);
  private stepIndex: number | null = null;
  private noise = new Float32Array(0);

  /** diffusers' defaults for this class (Stable Diffusion's betas, setAlphaToOne true). */
  static defaults(): LCMConfig {
    return { ...DIFFUSERS_DEFAULTS.LCMScheduler };
  }

  /** diffusers `from_config`: the known keys of `config`, this class's defaults for the rest. */
  static fromConfig(config: SchedulerOptions): LCMScheduler {
    return new LCMScheduler(config);
  }

  constructor(options: SchedulerOptions = {}) {
    this.config = resolveConfig(LCMScheduler.defaults(), options);
    if (this.config.originalInferenceSteps > this.config.numTrainTimesteps) {
      throw new UserError(`scheduler config: originalInferenceSteps = ${this.config.originalInferenceSteps} must not exceed numTrainTimesteps = ${this.config.numTrainTimesteps}`);
    }
    this.alphasCumprod = alphasCumprod(makeBetas(this.config));
    this.finalAlphaCumprod = this.config.setAlphaToOne ? 1 : this.alphasCumprod[0]!;
  }

  get timesteps(): Float64Array {
    return this._timesteps;
  }

  /** bytes of the reused noise buffer (one sample) */
  get historyBytes(): number {
    return this.noise.byteLength;
  }

  setTimesteps(numInferenceSteps: number): void {
    const { numTrainTimesteps: T, originalInferenceSteps: N } = this.config;
    if (!Number.isInteger(numInferenceSteps) || numInferenceSteps < 1 || numInferenceSteps > N) {
      throw new UserError(`LCMScheduler: numInferenceSteps must be an integer in [1, ${N}] (originalInferenceSteps; LCM is meant for 2 to 8), got ${numInferenceSteps}`);
    }
    const k = Math.floor(T / N);
    // origin grid descending: k * N - 1, ..., k - 1; pick floor(i * N / n)
    const ts = new Float64Array(numInferenceSteps);
    for (let i = 0; i < numInferenceSteps; i++) ts[i] = (N - Math.floor(i * (N / numInferenceSteps))) * k - 1;
    this._timesteps = ts;
    this.stepIndex = null;
  }

  reset(): void {
    this.stepIndex = null;
  }

  scaleModelInput(sample: Float32Array, _t: number, out?: Float32Array): Float32Array {
    if (out === undefined || out === sample) return sample;
    outBuffer(out, sample.length, 'LCMScheduler.scaleModelInput').set(sample);
    return out;
  }

  /**
   * c_skip = s^2 / ((t * scaling)^2 + s^2), c_out = t * scaling / sqrt((t * scaling)^2 + s^2) with
   * s = sigma_data, in float32 as torch evaluates it on the integer timestep.
   */
  boundaryScalings(t: number): { cSkip: number; cOut: number } {
    const scaled = t * this.config.timestepScaling;
    const denom = f32(f32(scaled * scaled) + SIGMA_DATA * SIGMA_DATA);
    return { cSkip: f32(SIGMA_DATA * SIGMA_DATA / denom), cOut: f32(f32(scaled) / f32(Math.sqrt(denom))) };
  }

  step(modelOutput: Float32Array, t: number, sample: Float32Array, out?: Float32Array): Float32Array {
    checkSameLength('LCMScheduler.step', sample, modelOutput);
    const index = this.indexFor(t);
    const last = index === this._timesteps.length - 1;
    const prevT = last ? t : this._timesteps[index + 1]!;
    const a = this.alphasCumprod[t]!;
    const aPrev = prevT >= 0 ? this.alphasCumprod[prevT]! : this.finalAlphaCumprod;
    const sqrtA = f32(Math.sqrt(a)), sqrtB = f32(Math.sqrt(f32(1 - a)));
    const sqrtAPrev = f32(Math.sqrt(aPrev)), sqrtBPrev = f32(Math.sqrt(f32(1 - aPrev)));
    const { cSkip, cOut } = this.boundaryScalings(t);
    const { predictionType, clipSample, clipSampleRange } = this.config;
    const hi = f32(clipSampleRange), lo = -hi;
    if (!last) {
      if (this.noise.length !== sample.length) this.noise = new Float32Array(sample.length);
      this.stepNoise(index, this.noise);
    }
    const z = this.noise;
    const o = outBuffer(out, sample.length, 'LCMScheduler.step');
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i]!, m = modelOutput[i]!;
      let x0 = predictionType === 'epsilon' ? f32(f32(x - f32(sqrtB * m)) / sqrtA) : f32(f32(sqrtA * x) - f32(sqrtB * m));
      if (clipSample) x0 = Math.min(hi, Math.max(lo, x0));
      const den = f32(f32(cOut * x0) + f32(cSkip * x));
      o[i] = last ? den : f32(sqrtAPrev * den) + f32(sqrtBPrev * z[i]!);
    }
    this.stepIndex = index + 1;
    return o;
  }

  addNoise(original: Float32Array, noise: Float32Array, t: number, out?: Float32Array): Float32Array {
    return addNoiseVp(this.alphasCumprod, original, noise, t, out, 'LCMScheduler.addNoise');
  }

  toJSON(): DiffusersSchedulerJson {
    return schedulerConfigToJson(this.config, LCMScheduler.className);
  }

  /** The step index for t (see countedStepIndex). */
  private indexFor(t: number): number {
    this.stepIndex = countedStepIndex(this._timesteps, this.stepIndex, t, 'LCMScheduler.step');
    return this.stepIndex;
  }
}
