/**
 * Euler sampler for discrete-time models (Karras et al. 2022, arXiv:2206.00364, Algorithm 2 with
 * s_churn = 0), matching diffusers `EulerDiscreteScheduler` (0.25–0.32) with its defaults for
 * everything not configurable here: linear sigma interpolation, no Karras sigmas, discrete
 * timesteps, s_churn = 0 (deterministic).
 *
 * Notation (diffusers -> here): sigmas -> sigmas (float32, one per step plus the final one),
 * sigma_hat = sigma (gamma = 0), pred_original_sample -> x0, derivative -> d.
 * Every array operation rounds to float32 in the order torch evaluates it, so a step reproduces
 * diffusers bit for bit given the same inputs.
 */
import type { DiffusersSchedulerJson, FinalSigmasType, Scheduler, SchedulerConfig, SchedulerOptions } from './scheduler.js';
import { DIFFUSERS_DEFAULTS, resolveConfig, schedulerConfigToJson } from './schedulerConfig.js';
import { alphasCumprod, checkNumInferenceSteps, checkTimestepRange, leadingTimesteps, linspaceTimesteps, makeBetas, trailingTimesteps, trainSigmas } from './noiseSchedule.js';
import { npInterp } from './numericCompat.js';
import { checkSameLength, countedStepIndex, indexForTimestep, outBuffer } from './stepBuffers.js';

const f32 = Math.fround;

/** Config of {@link EulerDiscreteScheduler}. */
export interface EulerDiscreteConfig extends SchedulerConfig {
  readonly interpolationType: 'linear';
  readonly finalSigmasType: FinalSigmasType;
}

/**
 * Euler discrete scheduler. Model input is x / sqrt(sigma^2 + 1); initNoiseSigma is the largest
 * sigma (`linspace`, `trailing`) or sqrt(sigma_max^2 + 1) (`leading`), as diffusers.
 * @example
 * const s = new EulerDiscreteScheduler({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, timestepSpacing: 'leading', stepsOffset: 1 });
 * s.setTimesteps(20); // timesteps [951, 901, ..., 1]
 */
export class EulerDiscreteScheduler implements Scheduler {
  static readonly className = 'EulerDiscreteScheduler';
  readonly kind = 'euler' as const;
  readonly order = 1;
  readonly historyBytes = 0;
  readonly config: EulerDiscreteConfig;
  /** alpha-bar per training timestep (float32 values) */
  readonly alphasCumprod: Float64Array;
  /** sigma per training timestep, ascending in t (float32 values) */
  readonly trainSigmas: Float64Array;
  private _timesteps: Float64Array = new Float64Array(0);
  private _sigmas: Float64Array;
  private stepIndex: number | null = null;
  private _initNoiseSigma: number;

  /** diffusers' defaults for this class. */
  static defaults(): EulerDiscreteConfig {
    return { ...DIFFUSERS_DEFAULTS.EulerDiscreteScheduler };
  }

  /** diffusers `from_config`: the known keys of `config`, this class's defaults for the rest. */
  static fromConfig(config: SchedulerOptions): EulerDiscreteScheduler {
    return new EulerDiscreteScheduler(config);
  }

  constructor(options: SchedulerOptions = {}) {
    this.config = resolveConfig(EulerDiscreteScheduler.defaults(), options);
    this.alphasCumprod = alphasCumprod(makeBetas(this.config));
    this.trainSigmas = trainSigmas(this.alphasCumprod);
    // Before setTimesteps diffusers holds the full training schedule (it sets initNoiseSigma).
    this._sigmas = Float64Array.from([...this.trainSigmas].reverse().concat([0]));
    this._initNoiseSigma = this.computeInitNoiseSigma();
  }

  get timesteps(): Float64Array {
    return this._timesteps;
  }

  /** sigma per timestep entry plus the final sigma (length n + 1, float32 values). */
  get sigmas(): Float64Array {
    return this._sigmas;
  }

  get initNoiseSigma(): number {
    return this._initNoiseSigma;
  }

  /** diffusers `init_noise_sigma`: sigma_max, or sqrt(sigma_max^2 + 1) in float32 for `leading`. */
  private computeInitNoiseSigma(): number {
    let max = 0;
    for (const s of this._sigmas) max = Math.max(max, s);
    if (this.config.timestepSpacing === 'linspace' || this.config.timestepSpacing === 'trailing') return max;
    return f32(Math.sqrt(f32(f32(max * max) + 1)));
  }

  setTimesteps(numInferenceSteps: number): void {
    const { numTrainTimesteps: T, timestepSpacing, stepsOffset } = this.config;
    checkNumInferenceSteps(numInferenceSteps, T, 'EulerDiscreteScheduler');
    const ts = timestepSpacing === 'leading' ? leadingTimesteps(T, numInferenceSteps, stepsOffset)
      : timestepSpacing === 'linspace' ? linspaceTimesteps(T, numInferenceSteps)
        : trailingTimesteps(T, numInferenceSteps);
    checkTimestepRange(ts, T, 'EulerDiscreteScheduler');
    // diffusers keeps timesteps as float32 and interpolates sigmas at those float32 values.
    const timesteps = ts.map(f32);
    const grid = Float64Array.from({ length: T }, (_, i) => i);
    const sigmas = npInterp(timesteps, grid, this.trainSigmas);
    const last = this.config.finalSigmasType === 'zero' ? 0 : this.trainSigmas[0]!;
    this._sigmas = Float64Array.from([...sigmas, last], f32);
    this._timesteps = timesteps;
    this._initNoiseSigma = this.computeInitNoiseSigma();
    this.stepIndex = null;
  }

  reset(): void {
    this.stepIndex = null;
  }

  scaleModelInput(sample: Float32Array, t: number, out?: Float32Array): Float32Array {
    const sigma = this._sigmas[this.indexFor(t, 'scaleModelInput')]!;
    const denom = f32(Math.sqrt(f32(f32(sigma * sigma) + 1)));
    const o = outBuffer(out, sample.length, 'EulerDiscreteScheduler.scaleModelInput');
    for (let i = 0; i < sample.length; i++) o[i] = sample[i]! / denom;
    return o;
  }

  step(modelOutput: Float32Array, t: number, sample: Float32Array, out?: Float32Array): Float32Array {
    checkSameLength('EulerDiscreteScheduler.step', sample, modelOutput);
    const index = this.indexFor(t, 'step');
    const sigma = this._sigmas[index]!;
    const dt = f32(this._sigmas[index + 1]! - sigma);
    const o = outBuffer(out, sample.length, 'EulerDiscreteScheduler.step');
    if (this.config.predictionType === 'epsilon') {
      for (let i = 0; i < sample.length; i++) {
        const x = sample[i]!;
        const x0 = f32(x - f32(sigma * modelOutput[i]!));
        const d = f32(f32(x - x0) / sigma);
        o[i] = x + f32(d * dt);
      }
    } else {
      // v-prediction: x0 = v * c_out + x * c_skip with c_out = -sigma / sqrt(sigma^2 + 1), c_skip = 1 / (sigma^2 + 1)
      const s2p1 = f32(f32(sigma * sigma) + 1);
      const cOut = f32(-sigma / f32(Math.sqrt(s2p1)));
      for (let i = 0; i < sample.length; i++) {
        const x = sample[i]!;
        const x0 = f32(f32(modelOutput[i]! * cOut) + f32(x / s2p1));
        const d = f32(f32(x - x0) / sigma);
        o[i] = x + f32(d * dt);
      }
    }
    this.stepIndex = index + 1;
    return o;
  }

  addNoise(original: Float32Array, noise: Float32Array, t: number, out?: Float32Array): Float32Array {
    checkSameLength('EulerDiscreteScheduler.addNoise', original, noise);
    const sigma = this._sigmas[indexForTimestep(this._timesteps, t, 'EulerDiscreteScheduler.addNoise')]!;
    const o = outBuffer(out, original.length, 'EulerDiscreteScheduler.addNoise');
    for (let i = 0; i < original.length; i++) o[i] = original[i]! + f32(noise[i]! * sigma);
    return o;
  }

  toJSON(): DiffusersSchedulerJson {
    return schedulerConfigToJson(this.config, EulerDiscreteScheduler.className);
  }

  /** The step index for t (see countedStepIndex); `who` names the calling method. */
  private indexFor(t: number, who: string): number {
    this.stepIndex = countedStepIndex(this._timesteps, this.stepIndex, t, `EulerDiscreteScheduler.${who}`);
    return this.stepIndex;
  }
}
