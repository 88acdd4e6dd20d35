import { describe, expect, it } from 'vitest';
import { PNDMScheduler } from '../../../../engine/diffusion/schedulers/pndm.js';
import { SD_CONFIG, pseudoRandom, toyModel } from './schedulerContract.js';
import { relErr, sdAlphasCumprod64 } from './reference64.js';

const acp64 = sdAlphasCumprod64();
const make = (extra = {}) => new PNDMScheduler({ ...SD_CONFIG, ...extra });

/**
 * PLMS as Riffusion/diffusers run it, in float64 (PNDM paper eq. 9 for the transfer): the first
 * call steps t -> t - r with eps_0 and keeps x; the second redoes it from x with the mean eps;
 * then Adams-Bashforth on the stored eps. `ts` is the list actually iterated.
 */
function plmsLoop64(ts: number[], r: number, x: Float64Array, noise: Float32Array): Float64Array {
  const transfer = (x: Float64Array, t: number, tp: number, e: Float64Array): Float64Array => {
    const a = acp64[t]!, ap = tp >= 0 ? acp64[tp]! : acp64[0]!;
    return x.map((v, k) => Math.sqrt(ap / a) * v - ((ap - a) * e[k]!) / (a * Math.sqrt(1 - ap) + Math.sqrt(a * (1 - a) * ap)));
  };
  const ets: Float64Array[] = [];
  let stored = x;
  ts.forEach((t, i) => {
    const e = Float64Array.from(toyModel(Float32Array.from(x), t, noise));
    if (i === 1) {
      x = transfer(stored, t + r, t, e.map((v, k) => (v + ets[0]![k]!) / 2));
      return;
    }
    ets.push(e);
    const [e1, e2, e3, e4] = ets.slice(-4).reverse();
    let comb: Float64Array;
    if (ets.length === 1) { stored = x; comb = e; }
    else if (ets.length === 2) comb = e1!.map((v, k) => (3 * v - e2![k]!) / 2);
    else if (ets.length === 3) comb = e1!.map((v, k) => (23 * v - 16 * e2![k]! + 5 * e3![k]!) / 12);
    else comb = e1!.map((v, k) => (55 * v - 59 * e2![k]! + 37 * e3![k]! - 9 * e4![k]!) / 24);
    x = transfer(x, t, t - r, comb);
  });
  return x;
}

describe('PNDMScheduler (PLMS, skip_prk_steps)', () => {
  it('50 steps: 51 entries [981, 961, 961, 941, ..., 21, 1]', () => {
    const s = make();
    s.setTimesteps(50);
    expect(s.timesteps.length).toBe(51);
    expect([...s.timesteps.subarray(0, 5)]).toEqual([981, 961, 961, 941, 921]);
    expect([...s.timesteps.subarray(-3)]).toEqual([41, 21, 1]);
  });

  it("reproduces Riffusion's strength table: t0 = timesteps[steps - init + offset]", () => {
    const s = make();
    s.setTimesteps(50);
    // reference/riffusion.md section 4: denoising -> (init_timestep, t0)
    for (const [strength, init, t0] of [[0.75, 38, 741], [0.8, 41, 801], [0.85, 43, 841], [0.95, 48, 941]] as const) {
      const i = Math.min(Math.trunc(50 * strength) + 1, 50);
      expect(i).toBe(init);
      expect(s.timesteps[50 - i + 1]).toBe(t0);
      expect(s.timesteps.length - (50 - i + 1)).toBe(init);
    }
  });

  it('full 50-step txt2img loop matches a float64 PLMS', () => {
    const s = make();
    s.setTimesteps(50);
    const noise = pseudoRandom(256, 31);
    const x = noise.slice();
    for (const t of s.timesteps) s.step(toyModel(x, t, noise), t, x, x);
    expect(relErr(x, plmsLoop64([...s.timesteps], 20, Float64Array.from(noise), noise))).toBeLessThan(2e-5);
  });

  it('img2img mid-list (timesteps[13:], fresh counter, noised at 741) matches the float64 PLMS', () => {
    const s = make();
    s.setTimesteps(50);
    const noise = pseudoRandom(256, 32), init = pseudoRandom(256, 33);
    const x = s.addNoise(init, noise, 741);
    const a = acp64[741]!;
    const x64 = Float64Array.from(init, (v, k) => Math.sqrt(a) * v + Math.sqrt(1 - a) * noise[k]!);
    expect(relErr(x, x64)).toBeLessThan(1e-6);
    const ts = [...s.timesteps.subarray(13)];
    expect(ts.length).toBe(38);
    for (const t of ts) s.step(toyModel(x, t, noise), t, x, x);
    expect(relErr(x, plmsLoop64(ts, 20, x64, noise))).toBeLessThan(2e-5);
  });

  it('the second call redoes the first step from the stored sample with the mean eps', () => {
    const s = make();
    s.setTimesteps(50);
    const x = pseudoRandom(8, 1), e0 = pseudoRandom(8, 2), e1 = pseudoRandom(8, 3);
    s.step(e0, 741, x);
    const out = s.step(e1, 721, pseudoRandom(8, 99)); // the sample passed here is ignored
    const ref = make();
    ref.setTimesteps(50);
    const mean = e0.map((v, i) => (v + e1[i]!) / 2);
    expect(relErr(out, ref.step(mean, 741, x))).toBeLessThan(1e-6);
  });

  it('one step: the timestep list is [offset] and the step lands on alpha-bar[0]', () => {
    const s = make();
    s.setTimesteps(1);
    expect([...s.timesteps]).toEqual([1]);
    const x = pseudoRandom(4, 1), e = pseudoRandom(4, 2);
    const out = s.step(e, 1, x);
    const a = acp64[1]!, ap = acp64[0]!;
    const den = a * Math.sqrt(1 - ap) + Math.sqrt(a * (1 - a) * ap);
    for (let i = 0; i < 4; i++) expect(out[i]).toBeCloseTo(Math.sqrt(ap / a) * x[i]! - ((ap - a) * e[i]!) / den, 5);
  });

  it('rejects the PRK warm-up (skipPrkSteps false, the diffusers default) with a clear message', () => {
    expect(() => new PNDMScheduler()).toThrow(/skipPrkSteps: true/);
    expect(() => make({ skipPrkSteps: false })).toThrow(/not supported/);
  });
});
