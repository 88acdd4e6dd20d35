/**
 * The one interface every noise scheduler implements, and the shared config shape.
 *
 * Modelled on diffusers' `SchedulerMixin` + `ConfigMixin` (numerics matched against diffusers
 * 0.25–0.32 semantics, see docs/schedulers.md), with two deliberate differences:
 * - every scheduler has the same `step` signature (no `eta`/`generator` kwargs to inspect), and all
 *   array methods take an optional `out` buffer so a denoising loop allocates nothing per step;
 * - arrays are flat `Float32Array`s of any shape (the scheduler maths is element-wise); a latent
 *   [C x H x W] is passed as its C*H*W values.
 */

/** How betas are laid out over the training timesteps (diffusers `beta_schedule`). */
export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';

/**
 * How inference timesteps are picked from the training range (diffusers `timestep_spacing`,
 * Table 2 of arXiv:2305.08891).
 */
export type TimestepSpacing = 'leading' | 'linspace' | 'trailing';

/** What the model predicts (diffusers `prediction_type`). */
export type PredictionType = 'epsilon' | 'v_prediction';

/** Last sigma of the Euler / DPM-Solver schedule (diffusers `final_sigmas_type`). */
export type FinalSigmasType = 'zero' | 'sigma_min';

/** Scheduler names used by recipes and {@link createScheduler}. `dpmpp2m` = DPM-Solver++(2M). */
export type SchedulerKind = 'euler' | 'ddim' | 'pndm' | 'dpmpp2m' | 'lcm';

/**
 * Fresh N(0, 1) noise for stochastic schedulers (LCM): fills `out` with the noise of step
 * `stepIndex` (0-based). Must be a pure function of its arguments (runs repeat exactly).
 */
export type StepNoise = (stepIndex: number, out: Float32Array) => void;

/**
 * A scheduler's configuration: plain data, camelCased diffusers `scheduler_config.json` keys.
 *
 * The first block is read by every scheduler. The optional keys belong to some schedulers only;
 * like diffusers' config they are carried along (and written back by `toJSON`) by the others, so a
 * swap `createScheduler('ddim', pndm.config)` keeps e.g. Riffusion's `clipSample: false`.
 */
export interface SchedulerConfig {
  /** length of the training noise schedule, T (diffusers `num_train_timesteps`) */
  readonly numTrainTimesteps: number;
  /** first beta (diffusers `beta_start`) */
  readonly betaStart: number;
  /** last beta (diffusers `beta_end`) */
  readonly betaEnd: number;
  readonly betaSchedule: BetaSchedule;
  /** explicit betas (length T), overriding start/end/schedule; null when unused */
  readonly trainedBetas: readonly number[] | null;
  /** added to `leading` timesteps (Stable Diffusion and Riffusion ship 1) */
  readonly stepsOffset: number;
  readonly timestepSpacing: TimestepSpacing;
  readonly predictionType: PredictionType;

  /** DDIM, PNDM: alpha-bar "before" t = 0 is 1 (true) or alpha-bar[0] (false) */
  readonly setAlphaToOne?: boolean;
  /** DDIM: clamp the predicted x0 to ±clipSampleRange */
  readonly clipSample?: boolean;
  /** DDIM: see clipSample */
  readonly clipSampleRange?: number;
  /** PNDM: PLMS only, no Runge-Kutta warm-up (only `true` is supported) */
  readonly skipPrkSteps?: boolean;
  /** Euler: how sigmas are interpolated between training timesteps (only `linear`) */
  readonly interpolationType?: 'linear';
  /** Euler, DPM-Solver: the sigma after the last step */
  readonly finalSigmasType?: FinalSigmasType;
  /** DPM-Solver: multistep order (1 or 2) */
  readonly solverOrder?: 1 | 2;
  /** DPM-Solver: only the deterministic data-prediction solver `dpmsolver++` */
  readonly algorithmType?: 'dpmsolver++';
  /** DPM-Solver: second-order update form */
  readonly solverType?: 'midpoint' | 'heun';
  /** DPM-Solver: first order on the last step (and second order on the one before) below 15 steps */
  readonly lowerOrderFinal?: boolean;
  /** DPM-Solver: always first order on the last step */
  readonly eulerAtFinal?: boolean;
  /** LCM: the distillation schedule's length N (timesteps are picked from k * (1..N) - 1) */
  readonly originalInferenceSteps?: number;
  /** LCM: t is multiplied by this in the boundary-condition scalings c_skip, c_out */
  readonly timestepScaling?: number;
}

/** A partial config, merged over a scheduler's defaults (what {@link schedulerConfigFromJson} returns). */
export type SchedulerOptions = { -readonly [K in keyof SchedulerConfig]?: SchedulerConfig[K] };

/** A diffusers-style `scheduler_config.json` object (snake_case keys, `_class_name`). */
export type DiffusersSchedulerJson = Record<string, unknown>;

/**
 * A noise scheduler. Usage, as in a diffusers pipeline:
 *
 * ```ts
 * scheduler.setTimesteps(20);
 * x = noise * scheduler.initNoiseSigma;
 * for (const t of scheduler.timesteps) {
 *   scheduler.scaleModelInput(x, t, modelInput);
 *   eps = unet(modelInput, t);
 *   scheduler.step(eps, t, x, x);
 * }
 * ```
 *
 * Steps must be taken in order: schedulers that keep history (PNDM, DPM-Solver) or a step index
 * (Euler, DPM-Solver) count their calls since the last `setTimesteps`/`reset`. A loop may start
 * mid-list (img2img): the first `t` passed sets where it starts.
 */
export interface Scheduler {
  readonly kind: SchedulerKind;
  /** resolved, frozen config */
  readonly config: SchedulerConfig;
  /**
   * The inference timesteps, descending, in training-timestep units [0, T). Integers except for
   * Euler with `linspace` spacing (float32 values, as diffusers). Empty before `setTimesteps`.
   * Owned by the scheduler: do not modify.
   */
  readonly timesteps: Float64Array;
  /** multiply the initial N(0, 1) noise by this (float32 value) */
  readonly initNoiseSigma: number;
  /** model evaluations per timestep entry (diffusers `order`): 1 for all five schedulers */
  readonly order: number;
  /** bytes held in preallocated multistep history buffers (diagnostic; constant once allocated) */
  readonly historyBytes: number;
  /** Compute the inference timesteps and clear all per-run state. */
  setTimesteps(numInferenceSteps: number): void;
  /**
   * The model input for timestep t (Euler divides by sqrt(sigma^2 + 1); others: identity).
   * Without `out`, identity schedulers return `sample` itself.
   */
  scaleModelInput(sample: Float32Array, t: number, out?: Float32Array): Float32Array;
  /**
   * One denoising step: x_t -> x_{t-1}.
   * @param modelOutput the (guided) model prediction at t, same length as sample
   * @param t the timestep value from `timesteps`
   * @param sample x_t
   * @param out receives x_{t-1}; may be `sample` or `modelOutput` itself
   * @returns `out` (a new array when not given)
   */
  step(modelOutput: Float32Array, t: number, sample: Float32Array, out?: Float32Array): Float32Array;
  /** Forward diffusion to timestep t: the noisy sample for img2img/inpainting. */
  addNoise(original: Float32Array, noise: Float32Array, t: number, out?: Float32Array): Float32Array;
  /**
   * Stochastic schedulers only (LCM): where fresh noise between steps comes from. The sampler sets
   * it from its seed; absent on deterministic schedulers.
   */
  stepNoise?: StepNoise;
  /** Clear the multistep history and step index, keeping the timesteps. */
  reset(): void;
  /** The config as a diffusers `scheduler_config.json` object (with `_class_name`). */
  toJSON(): DiffusersSchedulerJson;
}
