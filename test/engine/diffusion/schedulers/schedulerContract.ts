/**
 * Contract suite every scheduler must pass (after diffusers' `SchedulerCommonTest`): timestep
 * lists, step shapes and argument checks, determinism with and without reused/aliased buffers,
 * JSON round-trip, and bounded history.
 */
import { describe, expect, it } from 'vitest';
import type { Scheduler, SchedulerKind, SchedulerOptions, TimestepSpacing } from '../../../../engine/diffusion/schedulers/scheduler.js';
import { createScheduler } from '../../../../engine/diffusion/schedulers/createScheduler.js';
import { schedulerConfigFromJson } from '../../../../engine/diffusion/schedulers/schedulerConfig.js';

/** Stable Diffusion / Riffusion betas, as the tiny-sd fixtures ship them. */
export const SD_CONFIG: SchedulerOptions = {
  numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear',
  stepsOffset: 1, setAlphaToOne: false, clipSample: false, skipPrkSteps: true,
};

/** Deterministic values in [-2, 2) (LCG), as a stand-in for N(0, 1) latents. */
export function pseudoRandom(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32) * 4 - 2;
  }
  return a;
}

/** The toy model used by the loops: eps(x, t) = 0.1 x + 0.01 (t / 1000) n. */
export function toyModel(x: Float32Array, t: number, n: Float32Array, out = new Float32Array(x.length)): Float32Array {
  for (let i = 0; i < x.length; i++) out[i] = 0.1 * x[i]! + 0.01 * (t / 1000) * n[i]!;
  return out;
}

/** A full sampling loop as a pipeline writes it, from timesteps[start:]. */
export function sampleLoop(s: Scheduler, steps: number, noise: Float32Array, opts: { inPlace?: boolean; start?: number } = {}): Float32Array {
  s.setTimesteps(steps);
  const start = opts.start ?? 0;
  let x: Float32Array = noise.map((v) => v * s.initNoiseSigma);
  const input = new Float32Array(x.length);
  const eps = new Float32Array(x.length);
  for (let i = start; i < s.timesteps.length; i++) {
    const t = s.timesteps[i]!;
    toyModel(opts.inPlace ? s.scaleModelInput(x, t, input) : s.scaleModelInput(x, t), t, noise, eps);
    x = opts.inPlace ? s.step(eps, t, x, x) : s.step(eps.slice(), t, x);
  }
  return x;
}

export interface ContractOptions {
  readonly kind: SchedulerKind;
  /** entries of setTimesteps(n) */
  readonly expectedLength: (n: number) => number;
  /** history bytes once allocated, for a sample of `len` values */
  readonly historyBytes: (len: number) => number;
  /** the most steps setTimesteps accepts (default T = 1000; LCM: originalInferenceSteps) */
  readonly maxSteps?: number;
}

/** Run the contract for one scheduler kind. */
export function schedulerContract({ kind, expectedLength, historyBytes, maxSteps = 1000 }: ContractOptions): void {
  const make = (overrides: SchedulerOptions = {}): Scheduler => createScheduler(kind, { ...SD_CONFIG, ...overrides });
  const spacings: TimestepSpacing[] = ['leading', 'linspace', 'trailing'];

  describe(`scheduler contract: ${kind}`, () => {
    it('setTimesteps gives the expected count, descending, inside [0, T)', () => {
      for (const timestepSpacing of spacings) {
        for (const n of [1, 2, 7, 20, 50, 61, 103].filter((k) => k <= maxSteps)) {
          const s = make({ timestepSpacing });
          s.setTimesteps(n);
          const ts = s.timesteps;
          expect(ts.length, `${timestepSpacing} n=${n}`).toBe(expectedLength(n));
          for (let i = 0; i < ts.length; i++) {
            expect(ts[i]).toBeGreaterThanOrEqual(0);
            expect(ts[i]).toBeLessThan(1000);
            if (i > 0) expect(ts[i]).toBeLessThanOrEqual(ts[i - 1]!);
          }
        }
      }
    });

    it(maxSteps < 1000 ? `more than ${maxSteps} steps fail at setup, as do bad counts`
      : 'n = T works with linspace; leading n = T with an offset fails at setup, as do bad counts', () => {
      if (maxSteps < 1000) {
        const s = make();
        s.setTimesteps(maxSteps);
        expect(s.timesteps.length).toBe(expectedLength(maxSteps));
        for (const n of [maxSteps + 1, 0, 2.5]) expect(() => s.setTimesteps(n)).toThrow(/numInferenceSteps/);
        return;
      }
      const s = make({ timestepSpacing: 'linspace' });
      s.setTimesteps(1000);
      expect(s.timesteps[0]).toBe(999);
      const t = make({ timestepSpacing: 'leading', stepsOffset: 1 });
      expect(() => t.setTimesteps(1000)).toThrow(/leading/);
      expect(() => t.setTimesteps(0)).toThrow(/numInferenceSteps/);
      expect(() => t.setTimesteps(2.5)).toThrow(/numInferenceSteps/);
    });

    it('step keeps the shape and checks its arguments', () => {
      const s = make();
      s.setTimesteps(10);
      const t = s.timesteps[0]!;
      const x = pseudoRandom(64, 1);
      const eps = pseudoRandom(64, 2);
      expect(s.scaleModelInput(x, t).length).toBe(64);
      const prev = s.step(eps, t, x);
      expect(prev).toBeInstanceOf(Float32Array);
      expect(prev.length).toBe(64);
      expect(prev.every(Number.isFinite)).toBe(true);
      expect(() => s.step(eps, s.timesteps[1]!, x, new Float32Array(63))).toThrow(RangeError);
      expect(() => s.step(new Float32Array(63), s.timesteps[1]!, x)).toThrow(RangeError);
      expect(s.addNoise(x, eps, s.timesteps[0]!).length).toBe(64);
    });

    it('is deterministic, and reusing or aliasing the out buffers gives the same numbers', () => {
      const noise = pseudoRandom(96, 7);
      for (const timestepSpacing of spacings) {
        const a = sampleLoop(make({ timestepSpacing }), 12, noise);
        const s = make({ timestepSpacing });
        const b = sampleLoop(s, 12, noise, { inPlace: true });
        const c = sampleLoop(s, 12, noise, { inPlace: true }); // same instance after setTimesteps
        expect(Array.from(b)).toEqual(Array.from(a));
        expect(Array.from(c)).toEqual(Array.from(a));
        expect(a.every(Number.isFinite)).toBe(true);
      }
    });

    it('a step writing into the model output buffer gives the same numbers', () => {
      const s1 = make(), s2 = make();
      s1.setTimesteps(8);
      s2.setTimesteps(8);
      let x1: Float32Array = pseudoRandom(32, 3), x2: Float32Array = x1.slice();
      for (const t of s1.timesteps) {
        const eps = toyModel(s1.scaleModelInput(x1, t), t, x1);
        x1 = s1.step(eps, t, x1);
        const eps2 = toyModel(s2.scaleModelInput(x2, t), t, x2);
        x2 = s2.step(eps2, t, x2, eps2);
      }
      expect(Array.from(x2)).toEqual(Array.from(x1));
    });

    it('config round-trips through JSON', () => {
      const s = make({ timestepSpacing: 'trailing', predictionType: 'v_prediction' });
      const json = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      expect(typeof json['_class_name']).toBe('string');
      expect(json['timestep_spacing']).toBe('trailing');
      const back = createScheduler(kind, schedulerConfigFromJson(json));
      expect(back.config).toEqual(s.config);
      expect(Object.isFrozen(s.config)).toBe(true);
      expect(back.toJSON()).toEqual(s.toJSON());
    });

    it('history stays bounded over 1000+ steps and reset cycles', () => {
      const s = make();
      s.setTimesteps(25);
      const len = 40;
      const x = pseudoRandom(len, 5), eps = pseudoRandom(len, 6), out = new Float32Array(len);
      let steps = 0;
      for (let cycle = 0; cycle < 45; cycle++) {
        s.reset();
        for (const t of s.timesteps) {
          s.step(eps, t, x, out);
          steps++;
        }
        expect(s.historyBytes).toBe(historyBytes(len));
      }
      expect(steps).toBeGreaterThanOrEqual(1000);
    });

    it('reset() restarts a run: the same loop gives the same result', () => {
      const s = make();
      const noise = pseudoRandom(16, 9);
      const a = sampleLoop(s, 9, noise, { inPlace: true });
      s.reset();
      const x = noise.map((v) => v * s.initNoiseSigma);
      for (const t of s.timesteps) s.step(toyModel(s.scaleModelInput(x, t), t, noise), t, x, x);
      expect(Array.from(x)).toEqual(Array.from(a));
    });
  });
}
