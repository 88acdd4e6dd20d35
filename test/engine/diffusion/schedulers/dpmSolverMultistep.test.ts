import { describe, expect, it } from 'vitest';
import { DDIMScheduler } from '../../../../engine/diffusion/schedulers/ddim.js';
import { DPMSolverMultistepScheduler } from '../../../../engine/diffusion/schedulers/dpmSolverMultistep.js';
import type { TimestepSpacing } from '../../../../engine/diffusion/schedulers/scheduler.js';
import { SD_CONFIG, pseudoRandom, sampleLoop, toyModel } from './schedulerContract.js';
import { relErr, sdAlphasCumprod64 } from './reference64.js';

const acp64 = sdAlphasCumprod64();
const make = (extra = {}) => new DPMSolverMultistepScheduler({ ...SD_CONFIG, ...extra });

/**
 * DPM-Solver++(2M) (arXiv:2211.01095 Alg. 2) in float64 with VP coefficients straight from
 * alpha-bar: alpha_t = sqrt(abar), sigma_t = sqrt(1 - abar), lambda = log(alpha / sigma); the
 * final point is alpha = 1, sigma = 0. First order on the first and the last step.
 */
function dpmLoop64(ts: number[], noise: Float32Array): Float64Array {
  const coef = (t: number | null) => {
    const alpha = t === null ? 1 : Math.sqrt(acp64[t]!), sigma = t === null ? 0 : Math.sqrt(1 - acp64[t]!);
    return { alpha, sigma, lambda: Math.log(alpha / sigma) };
  };
  let x = Float64Array.from(noise);
  let prevX0: Float64Array | null = null;
  let prevLambda = 0;
  ts.forEach((t, i) => {
    const s = coef(t), tg = coef(i + 1 < ts.length ? ts[i + 1]! : null);
    const eps = toyModel(Float32Array.from(x), t, noise);
    const x0 = x.map((v, k) => (v - s.sigma * eps[k]!) / s.alpha);
    const h = tg.lambda - s.lambda;
    const phi = tg.alpha * (Math.exp(-h) - 1);
    const last = i === ts.length - 1;
    if (prevX0 === null || last) {
      x = last ? x0 : x.map((v, k) => (tg.sigma / s.sigma) * v - phi * x0[k]!);
    } else {
      const r0 = (s.lambda - prevLambda) / h;
      const p = prevX0;
      x = x.map((v, k) => (tg.sigma / s.sigma) * v - phi * x0[k]! - 0.5 * phi * ((x0[k]! - p[k]!) / r0));
    }
    prevX0 = x0;
    prevLambda = s.lambda;
  });
  return x;
}

describe('DPMSolverMultistepScheduler (DPM-Solver++ 2M)', () => {
  it('its own spacings: linspace over n + 1 points, leading with T // (n + 1), trailing', () => {
    const s = make({ timestepSpacing: 'linspace' });
    s.setTimesteps(20);
    // np.linspace(0, 999, 21).round()[::-1][:-1]: 499.5 rounds to 500, 549.45 to 549
    expect([...s.timesteps]).toEqual([999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200, 150, 100, 50]);
    const l = make({ timestepSpacing: 'leading' });
    l.setTimesteps(20);
    expect([...l.timesteps]).toEqual(Array.from({ length: 20 }, (_, i) => (20 - i) * 47 + 1));
    const t = make({ timestepSpacing: 'trailing' });
    t.setTimesteps(20);
    expect([...t.timesteps]).toEqual(Array.from({ length: 20 }, (_, i) => 999 - 50 * i));
    expect(t.sigmas[20]).toBe(0);
  });

  it.each([['linspace', 20], ['leading', 20], ['trailing', 10], ['linspace', 25]] as const)(
    'full %s loop of %i steps matches a float64 DPM-Solver++(2M)', (timestepSpacing: TimestepSpacing, n: number) => {
      const noise = pseudoRandom(256, 41);
      const s = make({ timestepSpacing });
      const x = sampleLoop(s, n, noise, { inPlace: true });
      expect(relErr(x, dpmLoop64([...s.timesteps], noise))).toBeLessThan(5e-5);
    });

  it('the last step returns the x0 prediction (final sigma 0)', () => {
    const s = make();
    s.setTimesteps(5);
    const x = pseudoRandom(8, 1);
    for (const t of s.timesteps.subarray(0, 4)) s.step(toyModel(x, t, x), t, x, x);
    const t = s.timesteps[4]!;
    const eps = pseudoRandom(8, 2);
    const out = s.step(eps, t, x);
    const a = acp64[t]!;
    expect(relErr(out, Float64Array.from(x, (v, i) => (v - Math.sqrt(1 - a) * eps[i]!) / Math.sqrt(a)))).toBeLessThan(2e-6);
  });

  it('first order equals DDIM (eta 0) on the same trailing timesteps', () => {
    const noise = pseudoRandom(128, 42);
    const dpm = sampleLoop(make({ solverOrder: 1, timestepSpacing: 'trailing' }), 20, noise);
    const ddim = sampleLoop(new DDIMScheduler({ ...SD_CONFIG, timestepSpacing: 'trailing', setAlphaToOne: true }), 20, noise);
    expect(relErr(dpm, ddim)).toBeLessThan(2e-5);
  });

  it('heun and midpoint differ only in the second-order term', () => {
    const noise = pseudoRandom(64, 43);
    const mid = sampleLoop(make(), 10, noise);
    const heun = sampleLoop(make({ solverType: 'heun' }), 10, noise);
    const first = sampleLoop(make({ solverOrder: 1 }), 10, noise);
    expect(relErr(heun, mid)).toBeGreaterThan(0);
    expect(relErr(heun, mid)).toBeLessThan(relErr(first, mid));
  });

  it('addNoise uses alpha = 1 / sqrt(sigma^2 + 1) ~ sqrt(abar_t)', () => {
    const s = make();
    s.setTimesteps(20);
    const x0 = pseudoRandom(8, 3), n = pseudoRandom(8, 4);
    const y = s.addNoise(x0, n, 549);
    const a = acp64[549]!;
    for (let i = 0; i < 8; i++) expect(y[i]).toBeCloseTo(Math.sqrt(a) * x0[i]! + Math.sqrt(1 - a) * n[i]!, 5);
  });

  it('rejects unsupported solver settings at setup', () => {
    expect(() => make({ solverOrder: 3 })).toThrow(/solverOrder/);
    expect(() => make({ algorithmType: 'dpmsolver' })).toThrow(/algorithmType/);
  });
});
