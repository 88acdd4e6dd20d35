/** Noise schedulers (diffusers-compatible numerics): the interface, the five schedulers, config I/O. */
export type {
  BetaSchedule, DiffusersSchedulerJson, FinalSigmasType, PredictionType, Scheduler, SchedulerConfig, SchedulerKind,
  SchedulerOptions, StepNoise, TimestepSpacing,
} from './scheduler.js';
export { DIFFUSERS_DEFAULTS, type DiffusersClassName, schedulerConfigFromJson, schedulerConfigToJson } from './schedulerConfig.js';
export { SCHEDULER_CLASS_NAMES, type SchedulerOverrides, createScheduler } from './createScheduler.js';
export { type EulerDiscreteConfig, EulerDiscreteScheduler } from './eulerDiscrete.js';
export { type DDIMConfig, DDIMScheduler } from './ddim.js';
export { type PNDMConfig, PNDMScheduler } from './pndm.js';
export { type DPMSolverMultistepConfig, DPMSolverMultistepScheduler } from './dpmSolverMultistep.js';
export { type LCMConfig, LCMScheduler } from './lcm.js';
export { seedFromNoise, seededStepNoise } from './stepNoise.js';
