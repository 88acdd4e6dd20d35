import { describe, expect, it } from 'vitest';
import {
  alphasCumprod, betasForAlphaBar, leadingTimesteps, linspaceTimesteps, makeBetas, trailingTimesteps, trainSigmas,
} from '../../../../engine/diffusion/schedulers/noiseSchedule.js';
import { npArange, npInterp, npLinspace, npRound, torchLinspaceFloat32 } from '../../../../engine/diffusion/schedulers/numericCompat.js';
import { sdAlphasCumprod64 } from './reference64.js';

const SD = { numTrainTimesteps: 1000, betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, trainedBetas: null } as const;
const isFloat32 = (v: number) => Math.fround(v) === v;

describe('NumPy/PyTorch helpers', () => {
  it('npRound rounds halves to even like np.round', () => {
    expect([0.5, 1.5, 2.5, -2.5, 498.5, 499.5, 549.45, 2.4999].map(npRound)).toEqual([0, 2, 2, -2, 498, 500, 549, 2]);
  });

  it('npLinspace hits both ends exactly and matches NumPy rounding', () => {
    const y = npLinspace(0, 999, 20);
    expect(y[0]).toBe(0);
    expect(y[19]).toBe(999);
    expect(y[1]).toBeCloseTo(999 / 19, 12);
    // np.linspace(0, 999, 21).round() (NumPy 2.x): 499.5 -> 500 but 549.45 -> 549
    expect([...npLinspace(0, 999, 21).map(npRound)].slice(9, 13)).toEqual([450, 500, 549, 599]);
    expect([...npLinspace(3, 7, 1)]).toEqual([3]);
  });

  it('npArange reproduces NumPy length quirks for float steps', () => {
    expect(npArange(1000, 0, -50).length).toBe(20);
    // np.arange(1000, 0, -1000 / 61) has 62 elements, the last about -5.7e-13
    const a = npArange(1000, 0, -1000 / 61);
    expect(a.length).toBe(62);
    expect(Math.abs(a[61]!)).toBeLessThan(1e-9);
  });

  it('npInterp: exact knots, linear between, clamped outside', () => {
    const xp = [0, 1, 2, 3], fp = [10, 20, 40, 80];
    expect([...npInterp([0, 1.5, 3, -1, 7, 2.25], xp, fp)]).toEqual([10, 30, 80, 10, 80, 50]);
  });

  it('torchLinspaceFloat32 gives float32 values with exact float32 endpoints', () => {
    const r = torchLinspaceFloat32(0.1, 0.7, 1000);
    expect(r[0]).toBe(Math.fround(0.1));
    expect(r[999]).toBe(Math.fround(0.7));
    expect([...r].every(isFloat32)).toBe(true);
    for (let i = 1; i < 1000; i++) expect(r[i]!).toBeGreaterThan(r[i - 1]!);
  });
});

describe('training noise schedule', () => {
  it('scaled_linear betas and alpha-bar are float32 and agree with float64 to float32 rounding', () => {
    const betas = makeBetas(SD);
    const acp = alphasCumprod(betas);
    const acp64 = sdAlphasCumprod64();
    expect([...betas].every(isFloat32) && [...acp].every(isFloat32)).toBe(true);
    for (let i = 0; i < 1000; i++) {
      const r = Math.sqrt(0.00085) + ((Math.sqrt(0.012) - Math.sqrt(0.00085)) * i) / 999;
      expect(Math.abs(betas[i]! / (r * r) - 1)).toBeLessThan(3e-7);
      expect(Math.abs(acp[i]! / acp64[i]! - 1)).toBeLessThan(2e-6);
    }
  });

  it("gives Stable Diffusion's well-known sigma range (k-diffusion: 0.0292 .. 14.6146)", () => {
    const sigmas = trainSigmas(alphasCumprod(makeBetas(SD)));
    expect(sigmas[0]).toBeCloseTo(0.0292, 4);
    expect(sigmas[999]).toBeCloseTo(14.6146, 4);
  });

  it('linear and squaredcos_cap_v2 betas follow their formulas', () => {
    const lin = makeBetas({ ...SD, betaSchedule: 'linear', betaStart: 0.0001, betaEnd: 0.02 });
    for (const i of [0, 1, 500, 998, 999]) expect(Math.abs(lin[i]! / (0.0001 + (0.0199 * i) / 999) - 1)).toBeLessThan(1.2e-7);
    const cos = betasForAlphaBar(1000);
    const abar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (const i of [0, 10, 500, 998]) expect(cos[i]).toBeCloseTo(Math.min(1 - abar((i + 1) / 1000) / abar(i / 1000), 0.999), 7);
    expect(cos[999]).toBe(Math.fround(0.999)); // capped
  });

  it('trainedBetas override the schedule', () => {
    const betas = makeBetas(SD);
    const trained = makeBetas({ ...SD, betaSchedule: 'linear', trainedBetas: [...betas] });
    expect([...trained]).toEqual([...betas]);
  });
});

describe('timestep spacing', () => {
  it('leading: (arange(n) * (T // n))[::-1] + offset', () => {
    expect([...leadingTimesteps(1000, 20, 1)]).toEqual(Array.from({ length: 20 }, (_, i) => 951 - 50 * i));
    expect([...leadingTimesteps(1000, 10, 1)]).toEqual([901, 801, 701, 601, 501, 401, 301, 201, 101, 1]);
    expect([...leadingTimesteps(1000, 3, 0)]).toEqual([666, 333, 0]);
  });

  it('linspace: linspace(0, T - 1, n)[::-1], unrounded', () => {
    const ts = linspaceTimesteps(1000, 20);
    expect(ts.length).toBe(20);
    for (let i = 0; i < 20; i++) expect(ts[i]).toBeCloseTo(999 - (999 * i) / 19, 10);
  });

  it('trailing: round(arange(T, 0, -T / n)) - 1, n entries even where NumPy overshoots', () => {
    expect([...trailingTimesteps(1000, 20)]).toEqual(Array.from({ length: 20 }, (_, i) => 999 - 50 * i));
    expect([...trailingTimesteps(1000, 3)]).toEqual([999, 666, 332]);
    const t61 = trailingTimesteps(1000, 61);
    expect(t61.length).toBe(61);
    expect(t61[60]).toBe(15);
  });
});
