/**
 * Scheduler factory: a recipe's scheduler name plus a (possibly foreign) config -> a scheduler, the
 * way diffusers swaps schedulers with `XScheduler.from_config(pipe.scheduler.config)`.
 */
import { UserError } from '../../errors.js';
import { DDIMScheduler } from './ddim.js';
import { DPMSolverMultistepScheduler } from './dpmSolverMultistep.js';
import { EulerDiscreteScheduler } from './eulerDiscrete.js';
import { LCMScheduler } from './lcm.js';
import { PNDMScheduler } from './pndm.js';
import type { Scheduler, SchedulerKind, SchedulerOptions, TimestepSpacing } from './scheduler.js';
import type { DiffusersClassName } from './schedulerConfig.js';

/** Per-run overrides applied over the config (recipes choose the spacing, e.g. the golden cases). */
export interface SchedulerOverrides {
  readonly timestepSpacing?: TimestepSpacing;
  readonly stepsOffset?: number;
}

const CONSTRUCTORS: { readonly [K in SchedulerKind]: new (options: SchedulerOptions) => Scheduler } = {
  euler: EulerDiscreteScheduler,
  ddim: DDIMScheduler,
  pndm: PNDMScheduler,
  dpmpp2m: DPMSolverMultistepScheduler,
  lcm: LCMScheduler,
};

/** The diffusers class implementing each kind (for `_class_name`). */
export const SCHEDULER_CLASS_NAMES: { readonly [K in SchedulerKind]: DiffusersClassName } = {
  euler: 'EulerDiscreteScheduler',
  ddim: 'DDIMScheduler',
  pndm: 'PNDMScheduler',
  dpmpp2m: 'DPMSolverMultistepScheduler',
  lcm: 'LCMScheduler',
};

/**
 * Build a scheduler of `kind` from `config` (keys the kind does not read are carried along; keys
 * it reads but `config` lacks take the kind's diffusers defaults), with `overrides` on top.
 * @throws UserError for an unknown kind or an invalid/unsupported config value
 * @example
 * const s = createScheduler('euler', schedulerConfigFromJson(json), { timestepSpacing: 'linspace' });
 * s.setTimesteps(20);
 */
export function createScheduler(kind: SchedulerKind, config: SchedulerOptions = {}, overrides: SchedulerOverrides = {}): Scheduler {
  if (!Object.prototype.hasOwnProperty.call(CONSTRUCTORS, kind)) {
    throw new UserError(`unknown scheduler ${JSON.stringify(kind)}: expected one of ${Object.keys(CONSTRUCTORS).join(', ')}`);
  }
  const options: SchedulerOptions = { ...config };
  if (overrides.timestepSpacing !== undefined) options.timestepSpacing = overrides.timestepSpacing;
  if (overrides.stepsOffset !== undefined) options.stepsOffset = overrides.stepsOffset;
  return new CONSTRUCTORS[kind](options);
}

/**
 * The kind whose diffusers class a `scheduler_config.json` names (`_class_name`), for presets that
 * say `scheduler: model` (an LCM-LoRA fused export ships `LCMScheduler`).
 * @throws UserError naming the folder when the class is missing or not one of the five
 * @example
 * schedulerKindOf({ _class_name: 'LCMScheduler' }, 'models/lcm'); // 'lcm'
 */
export function schedulerKindOf(json: Record<string, unknown>, dir: string): SchedulerKind {
  const name = json['_class_name'];
  const kind = (Object.keys(SCHEDULER_CLASS_NAMES) as SchedulerKind[]).find((k) => SCHEDULER_CLASS_NAMES[k] === name);
  if (!kind) {
    throw new UserError(`${dir}: scheduler/scheduler_config.json _class_name ${JSON.stringify(name)} is not one of ${Object.values(SCHEDULER_CLASS_NAMES).join(', ')} (set the preset's scheduler explicitly)`);
  }
  return kind;
}
