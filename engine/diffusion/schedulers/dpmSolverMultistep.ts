/**
 * DPM-Solver++(2M) (Lu et al. 2022, arXiv:2211.01095, Algorithm 2, data prediction, multistep),
 * matching diffusers `DPMSolverMultistepScheduler` with algorithm_type "dpmsolver++", solver_order
 * 1 or 2, solver_type "midpoint" (or "heun"), no thresholding, no Karras/Lu sigmas.
 *
 * Version semantics: current diffusers (>= 0.27 as far as checked): sigma-based, `final_sigmas_type`
 * "zero" by default, and the last step always first order when the final sigma is zero (a
 * second-order last step would divide by an infinite step size; 0.26 lacked that rule). Before 0.26
 * the schedule ended at sigma_min = sigma(t = 0) instead of 0: `finalSigmasType: 'sigma_min'` here,
 * where the first-order last step then follows lowerOrderFinal / eulerAtFinal only.
 *
 * Notation (paper -> diffusers -> here): sigma_t/alpha_t of the VP SDE -> _sigma_to_alpha_sigma_t
 * (alpha = 1 / sqrt(sigma^2 + 1), sigmaT = sigma * alpha, sigma the Karras sigma); lambda =
 * log(alpha) - log(sigmaT); x_theta -> model_outputs (converted x0 predictions) -> history;
 * h = lambda_t - lambda_s0, r0 = h_0 / h, D0 = m0, D1 = (m0 - m1) / r0.
 */
import { UserError } from '../../errors.js';
import type { DiffusersSchedulerJson, FinalSigmasType, Scheduler, SchedulerConfig, SchedulerOptions } from './scheduler.js';
import { DIFFUSERS_DEFAULTS, resolveConfig, schedulerConfigToJson } from './schedulerConfig.js';
import { alphasCumprod, checkNumInferenceSteps, checkTimestepRange, makeBetas, trailingTimesteps, trainSigmas } from './noiseSchedule.js';
import { npInterp, npLinspace, npRound } from './numericCompat.js';
import { HistoryRing, checkSameLength, countedStepIndex, indexForTimestep, outBuffer } from './stepBuffers.js';

const f32 = Math.fround;

/** Config of {@link DPMSolverMultistepScheduler}. */
export interface DPMSolverMultistepConfig extends SchedulerConfig {
  readonly solverOrder: 1 | 2;
  readonly algorithmType: 'dpmsolver++';
  readonly solverType: 'midpoint' | 'heun';
  readonly lowerOrderFinal: boolean;
  readonly eulerAtFinal: boolean;
  readonly finalSigmasType: FinalSigmasType;
}

/** VP coefficients of a Karras sigma, in float32 as diffusers' 0-dim tensors. */
function alphaSigma(sigma: number): { alpha: number; sigmaT: number; lambda: number } {
  const alpha = f32(1 / f32(Math.sqrt(f32(f32(sigma * sigma) + 1))));
  const sigmaT = f32(sigma * alpha);
  // torch.log(0) = -inf, so the final sigma 0 gives lambda = +inf and exp(-h) = 0, as in diffusers.
  const lambda = f32(f32(Math.log(alpha)) - f32(Math.log(sigmaT)));
  return { alpha, sigmaT, lambda };
}

/**
 * DPM-Solver++ multistep scheduler (order 2 = "DPM++ 2M"). Model input is the sample itself;
 * initNoiseSigma = 1.
 * @example
 * const s = new DPMSolverMultistepScheduler({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });
 * s.setTimesteps(20); // linspace: [999, 949, 899, ...]
 */
export class DPMSolverMultistepScheduler implements Scheduler {
  static readonly className = 'DPMSolverMultistepScheduler';
  readonly kind = 'dpmpp2m' as const;
  /** diffusers' class attribute (one model call per timestep) */
  readonly order = 1;
  readonly initNoiseSigma = 1;
  readonly config: DPMSolverMultistepConfig;
  /** alpha-bar per training timestep (float32 values) */
  readonly alphasCumprod: Float64Array;
  /** sigma per training timestep, ascending in t (float32 values) */
  readonly trainSigmas: Float64Array;
  private _timesteps: Float64Array = new Float64Array(0);
  private _sigmas: Float64Array = new Float64Array(0);
  private stepIndex: number | null = null;
  private lowerOrderNums = 0;
  private readonly history: HistoryRing;

  /** diffusers' defaults for this class. */
  static defaults(): DPMSolverMultistepConfig {
    return { ...DIFFUSERS_DEFAULTS.DPMSolverMultistepScheduler };
  }

  /** diffusers `from_config`: the known keys of `config`, this class's defaults for the rest. */
  static fromConfig(config: SchedulerOptions): DPMSolverMultistepScheduler {
    return new DPMSolverMultistepScheduler(config);
  }

  constructor(options: SchedulerOptions = {}) {
    this.config = resolveConfig(DPMSolverMultistepScheduler.defaults(), options);
    this.alphasCumprod = alphasCumprod(makeBetas(this.config));
    this.trainSigmas = trainSigmas(this.alphasCumprod);
    this.history = new HistoryRing(this.config.solverOrder);
  }

  get timesteps(): Float64Array {
    return this._timesteps;
  }

  /** sigma per timestep entry plus the final sigma (length n + 1, float32 values). */
  get sigmas(): Float64Array {
    return this._sigmas;
  }

  get historyBytes(): number {
    return this.history.bytes;
  }

  /**
   * DPM's own spacings (one more point than steps, the t = 0 end dropped): `linspace` =
   * round(linspace(0, T - 1, n + 1))[::-1][:-1]; `leading` = (arange(n + 1) * (T // (n + 1)))[::-1][:-1]
   * + offset; `trailing` as the other schedulers.
   */
  setTimesteps(numInferenceSteps: number): void {
    const { numTrainTimesteps: T, timestepSpacing, stepsOffset } = this.config;
    const n = numInferenceSteps;
    checkNumInferenceSteps(n, T, 'DPMSolverMultistepScheduler');
    let ts: Float64Array;
    if (timestepSpacing === 'linspace') {
      ts = npLinspace(0, T - 1, n + 1).map(npRound).reverse().subarray(0, n).slice();
    } else if (timestepSpacing === 'leading') {
      const ratio = Math.floor(T / (n + 1));
      // diffusers would return n copies of stepsOffset here
      if (ratio === 0) throw new UserError(`DPMSolverMultistepScheduler: leading spacing needs numInferenceSteps < ${T} (got ${n})`);
      ts = Float64Array.from({ length: n }, (_, i) => (n - i) * ratio + stepsOffset);
    } else {
      ts = trailingTimesteps(T, n);
    }
    checkTimestepRange(ts, T, 'DPMSolverMultistepScheduler');
    const grid = Float64Array.from({ length: T }, (_, i) => i);
    const sigmas = npInterp(ts, grid, this.trainSigmas);
    const last = this.config.finalSigmasType === 'zero' ? 0 : this.trainSigmas[0]!;
    this._sigmas = Float64Array.from([...sigmas, last], f32);
    this._timesteps = ts;
    this.reset();
  }

  reset(): void {
    this.stepIndex = null;
    this.lowerOrderNums = 0;
    this.history.clear();
  }

  scaleModelInput(sample: Float32Array, _t: number, out?: Float32Array): Float32Array {
    if (out === undefined || out === sample) return sample;
    outBuffer(out, sample.length, 'DPMSolverMultistepScheduler.scaleModelInput').set(sample);
    return out;
  }

  step(modelOutput: Float32Array, t: number, sample: Float32Array, out?: Float32Array): Float32Array {
    checkSameLength('DPMSolverMultistepScheduler.step', sample, modelOutput);
    const { solverOrder, lowerOrderFinal, eulerAtFinal, finalSigmasType } = this.config;
    const index = this.indexFor(t);
    const n = this._timesteps.length;
    // diffusers: lower orders at the end for stability (few steps) and whenever the final sigma is 0.
    const firstOrderNow = index === n - 1 && (eulerAtFinal || (lowerOrderFinal && n < 15) || finalSigmasType === 'zero');
    const secondOrderNow = index === n - 2 && lowerOrderFinal && n < 15;
    const o = outBuffer(out, sample.length, 'DPMSolverMultistepScheduler.step');

    const s0 = alphaSigma(this._sigmas[index]!);
    const x0 = this.history.pushSlot(sample.length);
    if (this.config.predictionType === 'epsilon') {
      for (let i = 0; i < sample.length; i++) x0[i] = f32(sample[i]! - f32(s0.sigmaT * modelOutput[i]!)) / s0.alpha;
    } else {
      for (let i = 0; i < sample.length; i++) x0[i] = f32(s0.alpha * sample[i]!) - f32(s0.sigmaT * modelOutput[i]!);
    }

    const tgt = alphaSigma(this._sigmas[index + 1]!);
    const h = f32(tgt.lambda - s0.lambda);
    const xCoeff = f32(tgt.sigmaT / s0.sigmaT);
    const d0Coeff = f32(tgt.alpha * f32(f32(Math.exp(-h)) - 1));
    if (solverOrder === 1 || this.lowerOrderNums < 1 || firstOrderNow) {
      for (let i = 0; i < o.length; i++) o[i] = f32(xCoeff * sample[i]!) - f32(d0Coeff * x0[i]!);
    } else if (solverOrder === 2 || this.lowerOrderNums < 2 || secondOrderNow) {
      const m1 = this.history.get(1);
      const s1 = alphaSigma(this._sigmas[index - 1]!);
      const r0 = f32(f32(s0.lambda - s1.lambda) / h);
      const invR0 = f32(1 / r0);
      // midpoint: - 0.5 * (alpha_t (e^{-h} - 1)) * D1; heun: + alpha_t ((e^{-h} - 1) / h + 1) * D1
      const d1Coeff = this.config.solverType === 'midpoint'
        ? -f32(0.5 * d0Coeff)
        : f32(tgt.alpha * f32(f32(f32(f32(Math.exp(-h)) - 1) / h) + 1));
      for (let i = 0; i < o.length; i++) {
        const m0 = x0[i]!;
        const d1 = f32(invR0 * f32(m0 - m1[i]!));
        o[i] = f32(f32(xCoeff * sample[i]!) - f32(d0Coeff * m0)) + f32(d1Coeff * d1);
      }
    }
    if (this.lowerOrderNums < solverOrder) this.lowerOrderNums++;
    this.stepIndex = index + 1;
    return o;
  }

  /** diffusers (>= 0.25): alpha * x0 + sigmaT * noise at the sigma of timestep t. */
  addNoise(original: Float32Array, noise: Float32Array, t: number, out?: Float32Array): Float32Array {
    checkSameLength('DPMSolverMultistepScheduler.addNoise', original, noise);
    const { alpha, sigmaT } = alphaSigma(this._sigmas[indexForTimestep(this._timesteps, t, 'DPMSolverMultistepScheduler.addNoise')]!);
    const o = outBuffer(out, original.length, 'DPMSolverMultistepScheduler.addNoise');
    for (let i = 0; i < original.length; i++) o[i] = f32(alpha * original[i]!) + f32(sigmaT * noise[i]!);
    return o;
  }

  toJSON(): DiffusersSchedulerJson {
    return schedulerConfigToJson(this.config, DPMSolverMultistepScheduler.className);
  }

  /** The step index for t (see countedStepIndex). */
  private indexFor(t: number): number {
    this.stepIndex = countedStepIndex(this._timesteps, this.stepIndex, t, 'DPMSolverMultistepScheduler.step');
    return this.stepIndex;
  }
}
