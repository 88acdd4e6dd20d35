/**
 * A first-order scheduler's step as coefficients: x_next = a x + b eps + c z, and its model input
 * scale s (model input = s x). Read by probing the scheduler itself on a 4-value sample, so the
 * device loop follows exactly the maths (and state: step index, noise stream) of the scheduler it
 * replaces, with no second copy of any scheduler's formulas.
 *
 * Valid for schedulers whose step is affine in (x, eps, z) with no history: Euler, DDIM and LCM
 * without `clipSample` (clipping x0 is not affine). PNDM and DPM-Solver keep earlier estimates.
 */
import type { Scheduler } from './schedulers/scheduler.js';

export interface AffineStep {
  readonly a: number;
  readonly b: number;
  /** 0 for deterministic steps */
  readonly c: number;
  /** the step index whose noise z must be, when c != 0 (the scheduler's `stepNoise(index, z)`) */
  readonly noiseIndex: number | undefined;
}

/** Why a scheduler cannot run as an affine device step, or undefined when it can. */
export function affineUnsupported(scheduler: Scheduler): string | undefined {
  if (scheduler.kind === 'pndm' || scheduler.kind === 'dpmpp2m') return `the ${scheduler.kind} scheduler keeps earlier estimates`;
  if (scheduler.config.clipSample && scheduler.kind !== 'euler') return 'clipSample is on (clipping is not affine)';
  return undefined;
}

/** s in model input = s x at timestep t (before `step` at t, as in the loop). */
export function inputScale(scheduler: Scheduler, t: number): number {
  return scheduler.scaleModelInput(Float32Array.of(1), t, new Float32Array(1))[0]!;
}

/**
 * Takes the step at t on the probe (advancing the scheduler as a real step would) and returns its
 * coefficients. The probe is x = (1, 0, 0, 0), eps = (0, 1, 0, 0), z = (0, 0, 1, 0); element 3,
 * all zeros, must stay 0 (the step has no constant term).
 */
export function probeStep(scheduler: Scheduler, t: number): AffineStep {
  const real = scheduler.stepNoise;
  let noiseIndex: number | undefined;
  if (real) {
    scheduler.stepNoise = (index, out) => {
      noiseIndex = index;
      out.fill(0);
      out[2] = 1;
    };
  }
  try {
    const out = scheduler.step(Float32Array.of(0, 1, 0, 0), t, Float32Array.of(1, 0, 0, 0));
    if (out[3] !== 0) throw new Error(`${scheduler.kind}: the step is not affine (constant term ${out[3]})`);
    return { a: out[0]!, b: out[1]!, c: noiseIndex === undefined ? 0 : out[2]!, noiseIndex };
  } finally {
    if (real) scheduler.stepNoise = real;
  }
}
