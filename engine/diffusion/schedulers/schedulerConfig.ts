/**
 * Scheduler configs as plain data: diffusers `scheduler_config.json` <-> {@link SchedulerConfig},
 * each diffusers class's defaults, and validation with teaching errors (done once, at setup).
 *
 * Loading follows diffusers' ConfigMixin (0.25–0.32): a json written for class X yields its keys
 * plus X's defaults for X's own missing keys (what `X.from_pretrained(...).config` holds); a
 * scheduler of another class Y built from it takes the keys it knows and Y's defaults for the rest
 * (`Y.from_config(x.config)`). Keys no supported scheduler reads are ignored, except features this
 * port does not implement, which are rejected when set to anything but their neutral value.
 */
import { UserError } from '../../errors.js';
import type { DiffusersSchedulerJson, SchedulerConfig, SchedulerOptions } from './scheduler.js';

type Key = keyof SchedulerConfig;

interface KeySpec {
  readonly json: string;
  /** returns an error description, or null when the value is valid */
  readonly check: (v: unknown) => string | null;
}

const oneOf = (...values: readonly unknown[]) => (v: unknown): string | null =>
  values.includes(v) ? null : `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
const bool = oneOf(true, false);
const integer = (min: number) => (v: unknown): string | null =>
  typeof v === 'number' && Number.isInteger(v) && v >= min ? null : `must be an integer >= ${min}`;
const positive = (v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'must be a finite number > 0';
const betaValue = (v: unknown): string | null =>
  typeof v === 'number' && v >= 0 && v < 1 ? null : 'must be a number in [0, 1)';
const betaList = (v: unknown): string | null =>
  v === null || (Array.isArray(v) && v.length > 0 && v.every((b) => betaValue(b) === null)) ? null : 'must be null or a non-empty array of numbers in [0, 1)';

/** camelCase key -> diffusers json key and validator. Order = order written by `toJSON`. */
const KEYS: { readonly [K in Key]-?: KeySpec } = {
  numTrainTimesteps: { json: 'num_train_timesteps', check: integer(2) },
  betaStart: { json: 'beta_start', check: betaValue },
  betaEnd: { json: 'beta_end', check: betaValue },
  betaSchedule: { json: 'beta_schedule', check: oneOf('linear', 'scaled_linear', 'squaredcos_cap_v2') },
  trainedBetas: { json: 'trained_betas', check: betaList },
  stepsOffset: { json: 'steps_offset', check: integer(0) },
  timestepSpacing: { json: 'timestep_spacing', check: oneOf('leading', 'linspace', 'trailing') },
  predictionType: { json: 'prediction_type', check: oneOf('epsilon', 'v_prediction') },
  setAlphaToOne: { json: 'set_alpha_to_one', check: bool },
  clipSample: { json: 'clip_sample', check: bool },
  clipSampleRange: { json: 'clip_sample_range', check: positive },
  skipPrkSteps: { json: 'skip_prk_steps', check: bool },
  interpolationType: { json: 'interpolation_type', check: oneOf('linear') },
  finalSigmasType: { json: 'final_sigmas_type', check: oneOf('zero', 'sigma_min') },
  solverOrder: { json: 'solver_order', check: oneOf(1, 2) },
  algorithmType: { json: 'algorithm_type', check: oneOf('dpmsolver++') },
  solverType: { json: 'solver_type', check: oneOf('midpoint', 'heun') },
  lowerOrderFinal: { json: 'lower_order_final', check: bool },
  eulerAtFinal: { json: 'euler_at_final', check: bool },
  originalInferenceSteps: { json: 'original_inference_steps', check: integer(1) },
  timestepScaling: { json: 'timestep_scaling', check: positive },
};
const ALL_KEYS = Object.keys(KEYS) as Key[];

/**
 * diffusers options this port does not implement, with the values that mean "off" (null stands
 * for absent/None; `lambda_min_clipped` off is -inf, which Python writes as -Infinity).
 */
const UNSUPPORTED: Readonly<Record<string, readonly unknown[]>> = {
  thresholding: [false, null],
  use_karras_sigmas: [false, null],
  use_exponential_sigmas: [false, null],
  use_beta_sigmas: [false, null],
  use_lu_lambdas: [false, null],
  use_flow_sigmas: [false, null],
  rescale_betas_zero_snr: [false, null],
  timestep_type: ['discrete', null],
  sigma_min: [null],
  sigma_max: [null],
  variance_type: [null],
  lambda_min_clipped: [null, -Infinity, '-Infinity', '-inf'],
};

const COMMON_DEFAULTS = {
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: 'linear',
  trainedBetas: null,
  stepsOffset: 0,
  predictionType: 'epsilon',
} as const;

/**
 * Each supported diffusers class's `__init__` defaults (diffusers 0.25–0.32), restricted to the
 * keys this port reads. PNDM's `skip_prk_steps` defaults to false there, as here: a PNDM config
 * must say `true` explicitly (Stable Diffusion's and Riffusion's do).
 */
export const DIFFUSERS_DEFAULTS = {
  EulerDiscreteScheduler: { ...COMMON_DEFAULTS, timestepSpacing: 'linspace', interpolationType: 'linear', finalSigmasType: 'zero' },
  DDIMScheduler: { ...COMMON_DEFAULTS, timestepSpacing: 'leading', setAlphaToOne: true, clipSample: true, clipSampleRange: 1 },
  PNDMScheduler: { ...COMMON_DEFAULTS, timestepSpacing: 'leading', setAlphaToOne: false, skipPrkSteps: false },
  DPMSolverMultistepScheduler: {
    ...COMMON_DEFAULTS, timestepSpacing: 'linspace', solverOrder: 2, algorithmType: 'dpmsolver++', solverType: 'midpoint',
    lowerOrderFinal: true, eulerAtFinal: false, finalSigmasType: 'zero',
  },
  LCMScheduler: {
    ...COMMON_DEFAULTS, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear', timestepSpacing: 'leading',
    originalInferenceSteps: 50, timestepScaling: 10, setAlphaToOne: true, clipSample: false, clipSampleRange: 1,
  },
} as const satisfies Record<string, SchedulerConfig>;

/** A diffusers scheduler class this port implements. */
export type DiffusersClassName = keyof typeof DIFFUSERS_DEFAULTS;

function fail(key: string, value: unknown, why: string): never {
  throw new UserError(`scheduler config: ${key} = ${JSON.stringify(value)} ${why}`);
}

function isClassName(name: unknown): name is DiffusersClassName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DIFFUSERS_DEFAULTS, name);
}

/**
 * Map a diffusers `scheduler_config.json` object to scheduler options (camelCase), frozen.
 * With a known `_class_name`, that class's defaults fill its missing keys; otherwise only the
 * keys present are returned and the scheduler built from them supplies its own defaults.
 * @throws UserError naming the key, for an invalid value or an unsupported feature that is on
 * @example
 * const options = schedulerConfigFromJson(JSON.parse(readFileSync('scheduler/scheduler_config.json', 'utf8')));
 * const scheduler = createScheduler('pndm', options);
 */
export function schedulerConfigFromJson(json: unknown): Readonly<SchedulerOptions> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UserError(`scheduler config: expected a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
  }
  const src = json as DiffusersSchedulerJson;
  for (const [key, off] of Object.entries(UNSUPPORTED)) {
    if (key in src && !off.includes(src[key])) fail(key, src[key], 'is not supported by this port (supported: the diffusers default)');
  }
  const className = src['_class_name'];
  const out: Record<string, unknown> = isClassName(className) ? { ...DIFFUSERS_DEFAULTS[className] } : {};
  for (const key of ALL_KEYS) {
    const { json: jsonKey } = KEYS[key];
    if (!(jsonKey in src)) continue;
    const value = src[jsonKey];
    // diffusers writes None for unset optional keys; only trained_betas takes null as a value.
    if (value === null && key !== 'trainedBetas') continue;
    out[key] = value;
  }
  validateOptions(out as SchedulerOptions);
  return freezeConfig(out as SchedulerOptions);
}

/**
 * The config as a diffusers `scheduler_config.json` object: `_class_name` first, then the
 * snake_case keys present. `schedulerConfigFromJson(schedulerConfigToJson(c, X))` deep-equals c.
 */
export function schedulerConfigToJson(config: SchedulerOptions, className: DiffusersClassName): DiffusersSchedulerJson {
  const out: DiffusersSchedulerJson = { _class_name: className };
  for (const key of ALL_KEYS) {
    const value = config[key];
    if (value !== undefined) out[KEYS[key].json] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

/** Throws a UserError naming the first invalid key. */
export function validateOptions(options: SchedulerOptions): void {
  for (const key of ALL_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    const why = KEYS[key].check(value);
    if (why !== null) fail(key, value, why);
  }
  const { trainedBetas, numTrainTimesteps } = options;
  if (trainedBetas && numTrainTimesteps !== undefined && trainedBetas.length !== numTrainTimesteps) {
    fail('trainedBetas', `[${trainedBetas.length} values]`, `must have numTrainTimesteps = ${numTrainTimesteps} values`);
  }
}

/**
 * A scheduler's resolved config: its own keys from `options` or `defaults`, plus any other known
 * keys present in `options` (carried along unused, like diffusers' hidden config keys). Frozen.
 */
export function resolveConfig<C extends SchedulerConfig>(defaults: C, options: SchedulerOptions): C {
  const out: Record<string, unknown> = { ...(defaults as SchedulerOptions) };
  for (const key of ALL_KEYS) if (options[key] !== undefined) out[key] = options[key];
  validateOptions(out as SchedulerOptions);
  return freezeConfig(out as SchedulerOptions) as C;
}

function freezeConfig<C extends SchedulerOptions>(config: C): Readonly<C> {
  const copy: Record<string, unknown> = { ...config };
  if (Array.isArray(config.trainedBetas)) copy['trainedBetas'] = Object.freeze([...config.trainedBetas]);
  return Object.freeze(copy) as Readonly<C>;
}
