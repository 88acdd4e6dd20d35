import { describe, expect, it } from 'vitest';
import { DDIMScheduler } from '../../../../engine/diffusion/schedulers/ddim.js';
import type { TimestepSpacing } from '../../../../engine/diffusion/schedulers/scheduler.js';
import { SD_CONFIG, pseudoRandom, sampleLoop, toyModel } from './schedulerContract.js';
import { relErr, sdAlphasCumprod64 } from './reference64.js';

const acp64 = sdAlphasCumprod64();
const make = (extra = {}) => new DDIMScheduler({ ...SD_CONFIG, ...extra });

/** DDIM eq. 12 (eta = 0) in float64: x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps. */
function ddimLoop64(timesteps: ArrayLike<number>, n: number, finalAlpha: number, noise: Float32Array): Float64Array {
  const x = Float64Array.from(noise);
  for (const t of Array.from(timesteps)) {
    const eps = toyModel(Float32Array.from(x), t, noise);
    const prev = t - Math.floor(1000 / n);
    const a = acp64[t]!, ap = prev >= 0 ? acp64[prev]! : finalAlpha;
    for (let k = 0; k < x.length; k++) {
      const x0 = (x[k]! - Math.sqrt(1 - a) * eps[k]!) / Math.sqrt(a);
      x[k] = Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps[k]!;
    }
  }
  return x;
}

describe('DDIMScheduler', () => {
  it('timesteps: leading 10 offset 1, rounded linspace, trailing', () => {
    const s = make();
    s.setTimesteps(10);
    expect([...s.timesteps]).toEqual([901, 801, 701, 601, 501, 401, 301, 201, 101, 1]);
    const l = make({ timestepSpacing: 'linspace' });
    l.setTimesteps(10);
    expect([...l.timesteps]).toEqual([999, 888, 777, 666, 555, 444, 333, 222, 111, 0]);
    const t = make({ timestepSpacing: 'trailing' });
    t.setTimesteps(10);
    expect([...t.timesteps]).toEqual([999, 899, 799, 699, 599, 499, 399, 299, 199, 99]);
  });

  it("has diffusers' defaults: clipSample and setAlphaToOne true, leading spacing", () => {
    const s = new DDIMScheduler();
    expect(s.config).toMatchObject({ clipSample: true, setAlphaToOne: true, timestepSpacing: 'leading', stepsOffset: 0, betaSchedule: 'linear' });
    expect(s.finalAlphaCumprod).toBe(1);
    expect(make().finalAlphaCumprod).toBe(make().alphasCumprod[0]);
  });

  it.each(['leading', 'linspace', 'trailing'] as const)('full %s loop matches eq. 12 in float64', (timestepSpacing: TimestepSpacing) => {
    const noise = pseudoRandom(256, 21);
    const s = make({ timestepSpacing });
    const x = sampleLoop(s, 10, noise, { inPlace: true });
    expect(relErr(x, ddimLoop64(s.timesteps, 10, acp64[0]!, noise))).toBeLessThan(2e-5);
  });

  it('with setAlphaToOne the last step lands exactly on the predicted x0', () => {
    const s = make({ setAlphaToOne: true });
    s.setTimesteps(10);
    const x = pseudoRandom(16, 1), eps = pseudoRandom(16, 2);
    const out = s.step(eps, 1, x);
    const a = s.alphasCumprod[1]!;
    for (let i = 0; i < 16; i++) expect(out[i]).toBeCloseTo((x[i]! - Math.sqrt(1 - a) * eps[i]!) / Math.sqrt(a), 5);
  });

  it('clipSample clamps the predicted x0 to ±clipSampleRange', () => {
    const s = make({ clipSample: true, clipSampleRange: 0.5 });
    s.setTimesteps(10);
    const x = new Float32Array([10, -10, 0.1]), eps = new Float32Array([0, 0, 0]);
    const out = s.step(eps, 501, x);
    const ap = s.alphasCumprod[401]!;
    expect(out[0]).toBeCloseTo(Math.sqrt(ap) * 0.5, 6);
    expect(out[1]).toBeCloseTo(-Math.sqrt(ap) * 0.5, 6);
    expect(out[2]).toBeCloseTo(Math.sqrt(ap) * (0.1 / Math.sqrt(s.alphasCumprod[501]!)), 6);
  });

  it('v-prediction: x0 = sqrt(a) x - sqrt(1 - a) v, eps = sqrt(a) v + sqrt(1 - a) x', () => {
    const s = make({ predictionType: 'v_prediction' });
    s.setTimesteps(10);
    const x = pseudoRandom(8, 3), v = pseudoRandom(8, 4);
    const out = s.step(v, 501, x);
    const a = s.alphasCumprod[501]!, ap = s.alphasCumprod[401]!;
    for (let i = 0; i < 8; i++) {
      const x0 = Math.sqrt(a) * x[i]! - Math.sqrt(1 - a) * v[i]!;
      const e = Math.sqrt(a) * v[i]! + Math.sqrt(1 - a) * x[i]!;
      expect(out[i]).toBeCloseTo(Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * e, 5);
    }
  });

  it('addNoise: sqrt(a_t) x0 + sqrt(1 - a_t) noise; steps are stateless', () => {
    const s = make();
    s.setTimesteps(10);
    const x0 = pseudoRandom(8, 5), n = pseudoRandom(8, 6);
    const y = s.addNoise(x0, n, 601);
    const a = acp64[601]!;
    for (let i = 0; i < 8; i++) expect(y[i]).toBeCloseTo(Math.sqrt(a) * x0[i]! + Math.sqrt(1 - a) * n[i]!, 5);
    expect([...s.step(n, 601, y)]).toEqual([...s.step(n, 601, y)]);
    expect(() => s.step(n, 1000, y)).toThrow(/integer in \[0, 1000\)/);
    expect(() => s.step(n, 600.5, y)).toThrow(RangeError);
  });
});
