/**
 * DDIM (Song et al. 2021, arXiv:2010.02502, eq. 12 with eta = 0: deterministic), matching diffusers
 * `DDIMScheduler` (0.25–0.32) without thresholding. eta > 0 needs fresh noise every step and is not
 * offered: the sampler is deterministic by design (noise is an input of the pipeline, not drawn here).
 *
 * Notation (paper -> diffusers -> here): alpha_t -> alpha_prod_t -> a; alpha_{t-1} ->
 * alpha_prod_t_prev -> aPrev; 1 - alpha_t -> beta_prod_t -> b; "predicted x_0" ->
 * pred_original_sample -> x0; eps_theta -> pred_epsilon -> eps.
 * prev_t = t - T // n, whatever the spacing (as diffusers); alpha_{-} = finalAlphaCumprod.
 */
import type { DiffusersSchedulerJson, Scheduler, SchedulerConfig, SchedulerOptions } from './scheduler.js';
import { DIFFUSERS_DEFAULTS, resolveConfig, schedulerConfigToJson } from './schedulerConfig.js';
import { addNoiseVp, alphasCumprod, checkNumInferenceSteps, checkTimestepRange, leadingTimesteps, linspaceTimesteps, makeBetas, trailingTimesteps } from './noiseSchedule.js';
import { npRound } from './numericCompat.js';
import { checkIntegerTimestep, checkSameLength, outBuffer } from './stepBuffers.js';

const f32 = Math.fround;

/** Config of {@link DDIMScheduler}. */
export interface DDIMConfig extends SchedulerConfig {
  readonly setAlphaToOne: boolean;
  readonly clipSample: boolean;
  readonly clipSampleRange: number;
}

/**
 * DDIM scheduler, eta = 0. Model input is the sample itself; initNoiseSigma = 1.
 * Stateless between steps: `t` alone determines each step.
 * @example
 * const s = new DDIMScheduler({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, stepsOffset: 1, clipSample: false, setAlphaToOne: false });
 * s.setTimesteps(10); // timesteps [901, 801, ..., 1]
 */
export class DDIMScheduler implements Scheduler {
  static readonly className = 'DDIMScheduler';
  readonly kind = 'ddim' as const;
  readonly order = 1;
  readonly initNoiseSigma = 1;
  readonly historyBytes = 0;
  readonly config: DDIMConfig;
  /** alpha-bar per training timestep (float32 values) */
  readonly alphasCumprod: Float64Array;
  /** alpha-bar used for the step that ends below t = 0 */
  readonly finalAlphaCumprod: number;
  private _timesteps: Float64Array = new Float64Array(0);
  private numInferenceSteps: number | null = null;

  /** diffusers' defaults for this class (note clipSample true, setAlphaToOne true). */
  static defaults(): DDIMConfig {
    return { ...DIFFUSERS_DEFAULTS.DDIMScheduler };
  }

  /** diffusers `from_config`: the known keys of `config`, this class's defaults for the rest. */
  static fromConfig(config: SchedulerOptions): DDIMScheduler {
    return new DDIMScheduler(config);
  }

  constructor(options: SchedulerOptions = {}) {
    this.config = resolveConfig(DDIMScheduler.defaults(), options);
    this.alphasCumprod = alphasCumprod(makeBetas(this.config));
    this.finalAlphaCumprod = this.config.setAlphaToOne ? 1 : this.alphasCumprod[0]!;
  }

  get timesteps(): Float64Array {
    return this._timesteps;
  }

  setTimesteps(numInferenceSteps: number): void {
    const { numTrainTimesteps: T, timestepSpacing, stepsOffset } = this.config;
    checkNumInferenceSteps(numInferenceSteps, T, 'DDIMScheduler');
    this._timesteps = timestepSpacing === 'leading' ? leadingTimesteps(T, numInferenceSteps, stepsOffset)
      : timestepSpacing === 'linspace' ? linspaceTimesteps(T, numInferenceSteps).map(npRound)
        : trailingTimesteps(T, numInferenceSteps);
    checkTimestepRange(this._timesteps, T, 'DDIMScheduler');
    this.numInferenceSteps = numInferenceSteps;
  }

  reset(): void {
    // DDIM keeps no state between steps.
  }

  scaleModelInput(sample: Float32Array, _t: number, out?: Float32Array): Float32Array {
    if (out === undefined || out === sample) return sample;
    outBuffer(out, sample.length, 'DDIMScheduler.scaleModelInput').set(sample);
    return out;
  }

  step(modelOutput: Float32Array, t: number, sample: Float32Array, out?: Float32Array): Float32Array {
    const { numTrainTimesteps: T, predictionType, clipSample, clipSampleRange } = this.config;
    if (this.numInferenceSteps === null) throw new Error('DDIMScheduler.step: call setTimesteps() first');
    checkIntegerTimestep(t, T, 'DDIMScheduler.step');
    checkSameLength('DDIMScheduler.step', sample, modelOutput);
    const prevT = t - Math.floor(T / this.numInferenceSteps);
    const a = this.alphasCumprod[t]!;
    const aPrev = prevT >= 0 ? this.alphasCumprod[prevT]! : this.finalAlphaCumprod;
    const b = f32(1 - a);
    const sqrtA = f32(Math.sqrt(a)), sqrtB = f32(Math.sqrt(b));
    const sqrtAPrev = f32(Math.sqrt(aPrev));
    // "direction pointing to x_t": sqrt(1 - alpha_{t-1} - sigma_t^2) with sigma_t = eta * ... = 0
    const dirCoeff = f32(Math.sqrt(f32(1 - aPrev)));
    // torch.clamp compares against the bounds cast to float32
    const hi = f32(clipSampleRange), lo = -hi;
    const o = outBuffer(out, sample.length, 'DDIMScheduler.step');
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i]!, m = modelOutput[i]!;
      let x0: number, eps: number;
      if (predictionType === 'epsilon') {
        x0 = f32(f32(x - f32(sqrtB * m)) / sqrtA);
        eps = m;
      } else {
        x0 = f32(f32(sqrtA * x) - f32(sqrtB * m));
        eps = f32(f32(sqrtA * m) + f32(sqrtB * x));
      }
      if (clipSample) x0 = Math.min(hi, Math.max(lo, x0));
      o[i] = f32(sqrtAPrev * x0) + f32(dirCoeff * eps);
    }
    return o;
  }

  addNoise(original: Float32Array, noise: Float32Array, t: number, out?: Float32Array): Float32Array {
    return addNoiseVp(this.alphasCumprod, original, noise, t, out, 'DDIMScheduler.addNoise');
  }

  toJSON(): DiffusersSchedulerJson {
    return schedulerConfigToJson(this.config, DDIMScheduler.className);
  }
}

