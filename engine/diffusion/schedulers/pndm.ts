/**
 * PNDM in its PLMS form (Liu et al. 2022, arXiv:2202.09778, eq. 9 transfer + eq. 12 linear
 * multistep; skip_prk_steps as in crowsonkb's PLMS for latent diffusion), matching diffusers
 * `PNDMScheduler.step_plms` (0.25–0.32) with `skip_prk_steps=True`, the scheduler Stable Diffusion
 * and Riffusion ship. The Runge-Kutta warm-up (`skip_prk_steps=False`) is not implemented.
 *
 * State, as diffusers: `counter` (steps since setTimesteps/reset), `ets` (last 4 model outputs),
 * `curSample`. The step is driven by the counter and the `t` passed in, never by looking t up:
 * - counter 0: store eps_0 and x, step t -> t - T//n with eps_0;
 * - counter 1: redo that step from the stored x with (eps_0 + eps_1) / 2 (the t passed is the
 *   target: prev = t, from = t + T//n) — the schedule's duplicated timestep (961 twice) is for this;
 * - then Adams-Bashforth of order 2, 3, 4 on the stored eps.
 * So a run may start mid-list (Riffusion img2img, timesteps[13:]) with a fresh counter, exactly as
 * diffusers does; the labels then lag the noise level by one step, which is faithfully kept.
 *
 * Notation (diffusers -> here): alpha_prod_t -> a, alpha_prod_t_prev -> aPrev, ets -> ets,
 * model_output_denom_coeff -> denom.
 */
import { UserError } from '../../errors.js';
import type { DiffusersSchedulerJson, Scheduler, SchedulerConfig, SchedulerOptions } from './scheduler.js';
import { DIFFUSERS_DEFAULTS, resolveConfig, schedulerConfigToJson } from './schedulerConfig.js';
import { addNoiseVp, alphasCumprod, checkNumInferenceSteps, checkTimestepRange, leadingTimesteps, linspaceTimesteps, makeBetas, trailingTimesteps } from './noiseSchedule.js';
import { npRound } from './numericCompat.js';
import { HistoryRing, checkIntegerTimestep, checkSameLength, outBuffer } from './stepBuffers.js';

const f32 = Math.fround;
/** torch multiplies a float32 tensor by the Python float 1/24 cast to float32 */
const ONE_24TH = f32(1 / 24);

/** Config of {@link PNDMScheduler}. */
export interface PNDMConfig extends SchedulerConfig {
  readonly setAlphaToOne: boolean;
  readonly skipPrkSteps: boolean;
}

/**
 * PNDM (PLMS) scheduler. Model input is the sample itself; initNoiseSigma = 1. `setTimesteps(n)`
 * gives n + 1 entries: `leading`, T = 1000, n = 50, offset 1 -> [981, 961, 961, 941, ..., 21, 1].
 * @example
 * const s = new PNDMScheduler({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, stepsOffset: 1, skipPrkSteps: true });
 * s.setTimesteps(50);
 */
export class PNDMScheduler implements Scheduler {
  static readonly className = 'PNDMScheduler';
  readonly kind = 'pndm' as const;
  readonly order = 1;
  readonly initNoiseSigma = 1;
  readonly config: PNDMConfig;
  /** alpha-bar per training timestep (float32 values) */
  readonly alphasCumprod: Float64Array;
  /** alpha-bar used for a step that ends below t = 0 */
  readonly finalAlphaCumprod: number;
  private _timesteps: Float64Array = new Float64Array(0);
  private numInferenceSteps: number | null = null;
  private counter = 0;
  private readonly ets = new HistoryRing(4);
  private curSample: Float32Array = new Float32Array(0);
  /** the combined eps of the current step */
  private combined: Float32Array = new Float32Array(0);

  /** diffusers' defaults for this class (skipPrkSteps false there: set it to true). */
  static defaults(): PNDMConfig {
    return { ...DIFFUSERS_DEFAULTS.PNDMScheduler };
  }

  /** diffusers `from_config`: the known keys of `config`, this class's defaults for the rest. */
  static fromConfig(config: SchedulerOptions): PNDMScheduler {
    return new PNDMScheduler(config);
  }

  constructor(options: SchedulerOptions = {}) {
    this.config = resolveConfig(PNDMScheduler.defaults(), options);
    if (!this.config.skipPrkSteps) {
      throw new UserError('PNDMScheduler: skipPrkSteps = false (Runge-Kutta warm-up steps) is not supported; '
        + 'use skipPrkSteps: true (skip_prk_steps in scheduler_config.json), as Stable Diffusion and Riffusion do');
    }
    this.alphasCumprod = alphasCumprod(makeBetas(this.config));
    this.finalAlphaCumprod = this.config.setAlphaToOne ? 1 : this.alphasCumprod[0]!;
  }

  get timesteps(): Float64Array {
    return this._timesteps;
  }

  get historyBytes(): number {
    return this.ets.bytes + this.curSample.byteLength + this.combined.byteLength;
  }

  setTimesteps(numInferenceSteps: number): void {
    const { numTrainTimesteps: T, timestepSpacing, stepsOffset } = this.config;
    checkNumInferenceSteps(numInferenceSteps, T, 'PNDMScheduler');
    const descending = timestepSpacing === 'leading' ? leadingTimesteps(T, numInferenceSteps, stepsOffset)
      : timestepSpacing === 'linspace' ? linspaceTimesteps(T, numInferenceSteps).map(npRound)
        : trailingTimesteps(T, numInferenceSteps);
    checkTimestepRange(descending, T, 'PNDMScheduler');
    // diffusers: plms = concat(_t[:-1], _t[-2:-1], _t[-1:])[::-1] on the ascending _t, i.e. the
    // descending list with its second entry repeated (a single step is not repeated).
    const n = descending.length;
    this._timesteps = n < 2 ? descending : Float64Array.from([descending[0]!, descending[1]!, ...descending.subarray(1)]);
    this.numInferenceSteps = numInferenceSteps;
    this.reset();
  }

  reset(): void {
    this.counter = 0;
    this.ets.clear();
  }

  scaleModelInput(sample: Float32Array, _t: number, out?: Float32Array): Float32Array {
    if (out === undefined || out === sample) return sample;
    outBuffer(out, sample.length, 'PNDMScheduler.scaleModelInput').set(sample);
    return out;
  }

  step(modelOutput: Float32Array, t: number, sample: Float32Array, out?: Float32Array): Float32Array {
    if (this.numInferenceSteps === null) throw new Error('PNDMScheduler.step: call setTimesteps() first');
    checkSameLength('PNDMScheduler.step', sample, modelOutput);
    const len = sample.length;
    const o = outBuffer(out, len, 'PNDMScheduler.step');
    const ratio = Math.floor(this.config.numTrainTimesteps / this.numInferenceSteps);
    if (this.curSample.length !== len) {
      this.curSample = new Float32Array(len);
      this.combined = new Float32Array(len);
    }
    const from = this.counter === 1 ? t + ratio : t;
    const to = this.counter === 1 ? t : t - ratio;
    const T = this.config.numTrainTimesteps;
    checkIntegerTimestep(from, T, 'PNDMScheduler.step');
    if (to >= T) checkIntegerTimestep(to, T, 'PNDMScheduler.step (previous timestep)');
    if (this.counter !== 1) this.ets.push(modelOutput);

    const e = this.combined;
    let x = sample;
    const k = this.ets.size;
    if (k === 1 && this.counter === 0) {
      e.set(modelOutput);
      this.curSample.set(sample);
    } else if (k === 1 && this.counter === 1) {
      const e0 = this.ets.get(0);
      for (let i = 0; i < len; i++) e[i] = f32(modelOutput[i]! + e0[i]!) / 2;
      x = this.curSample;
    } else if (k === 2) {
      const e1 = this.ets.get(0), e2 = this.ets.get(1);
      for (let i = 0; i < len; i++) e[i] = f32(f32(3 * e1[i]!) - e2[i]!) / 2;
    } else if (k === 3) {
      const e1 = this.ets.get(0), e2 = this.ets.get(1), e3 = this.ets.get(2);
      for (let i = 0; i < len; i++) e[i] = f32(f32(f32(23 * e1[i]!) - f32(16 * e2[i]!)) + f32(5 * e3[i]!)) / 12;
    } else {
      const e1 = this.ets.get(0), e2 = this.ets.get(1), e3 = this.ets.get(2), e4 = this.ets.get(3);
      for (let i = 0; i < len; i++) {
        const s = f32(f32(f32(f32(55 * e1[i]!) - f32(59 * e2[i]!)) + f32(37 * e3[i]!)) - f32(9 * e4[i]!));
        e[i] = ONE_24TH * s;
      }
    }
    this.prevSample(x, from, to, e, o);
    this.counter++;
    return o;
  }

  addNoise(original: Float32Array, noise: Float32Array, t: number, out?: Float32Array): Float32Array {
    return addNoiseVp(this.alphasCumprod, original, noise, t, out, 'PNDMScheduler.addNoise');
  }

  toJSON(): DiffusersSchedulerJson {
    return schedulerConfigToJson(this.config, PNDMScheduler.className);
  }

  /** diffusers `_get_prev_sample` (PNDM eq. 9): x_{to} from x_{from} and the combined eps. */
  private prevSample(x: Float32Array, from: number, to: number, e: Float32Array, out: Float32Array): void {
    const a = this.alphasCumprod[from]!;
    const aPrev = to >= 0 ? this.alphasCumprod[to]! : this.finalAlphaCumprod;
    const b = f32(1 - a), bPrev = f32(1 - aPrev);
    if (this.config.predictionType === 'v_prediction') {
      const sa = f32(Math.sqrt(a)), sb = f32(Math.sqrt(b));
      for (let i = 0; i < e.length; i++) e[i] = f32(sa * e[i]!) + f32(sb * x[i]!);
    }
    // sqrt(aPrev / a): (aPrev - a) / (sqrt(a) (sqrt(aPrev) + sqrt(a))) folded into the x coefficient
    const sampleCoeff = f32(Math.sqrt(f32(aPrev / a)));
    const denom = f32(f32(a * f32(Math.sqrt(bPrev))) + f32(Math.sqrt(f32(f32(a * b) * aPrev))));
    const diff = f32(aPrev - a);
    for (let i = 0; i < e.length; i++) out[i] = f32(sampleCoeff * x[i]!) - f32(f32(diff * e[i]!) / denom);
  }
}
