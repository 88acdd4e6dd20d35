import { describe, expect, it } from 'vitest';
import { EulerDiscreteScheduler } from '../../../../engine/diffusion/schedulers/eulerDiscrete.js';
import type { TimestepSpacing } from '../../../../engine/diffusion/schedulers/scheduler.js';
import { SD_CONFIG, pseudoRandom, sampleLoop, toyModel } from './schedulerContract.js';
import { relErr, sdAlphasCumprod64, sigmaAt64 } from './reference64.js';

const acp64 = sdAlphasCumprod64();
const make = (timestepSpacing: TimestepSpacing, extra = {}) => new EulerDiscreteScheduler({ ...SD_CONFIG, timestepSpacing, ...extra });

/** Euler (Karras Algorithm 2, s_churn = 0) in plain float64, from sigmas computed independently. */
function eulerLoop64(timesteps: ArrayLike<number>, leading: boolean, noise: Float32Array): Float64Array {
  const sig = [...Array.from(timesteps, (t) => sigmaAt64(acp64, t)), 0];
  const max = Math.max(...sig);
  const x = Float64Array.from(noise, (v) => v * (leading ? Math.sqrt(max * max + 1) : max));
  for (let i = 0; i < timesteps.length; i++) {
    const input = Float32Array.from(x, (v) => v / Math.sqrt(sig[i]! ** 2 + 1));
    const eps = toyModel(input, timesteps[i]!, noise);
    for (let k = 0; k < x.length; k++) x[k] = x[k]! + eps[k]! * (sig[i + 1]! - sig[i]!);
  }
  return x;
}

describe('EulerDiscreteScheduler', () => {
  it('leading, 20 steps, offset 1: [951, 901, ..., 1] and sigma_max from the float64 formula', () => {
    const s = make('leading');
    s.setTimesteps(20);
    expect([...s.timesteps]).toEqual(Array.from({ length: 20 }, (_, i) => 951 - 50 * i));
    const sigma951 = Math.sqrt((1 - acp64[951]!) / acp64[951]!);
    expect(sigma951).toBeGreaterThan(11);
    expect(Math.abs(s.sigmas[0]! / sigma951 - 1)).toBeLessThan(2e-6);
    expect(s.sigmas[20]).toBe(0);
    expect(Math.abs(s.initNoiseSigma / Math.sqrt(sigma951 ** 2 + 1) - 1)).toBeLessThan(2e-6);
    expect(Math.fround(s.initNoiseSigma)).toBe(s.initNoiseSigma);
  });

  it('linspace, 20 steps: fractional float32 timesteps, interpolated sigmas, initNoiseSigma = sigma_max', () => {
    const s = make('linspace');
    s.setTimesteps(20);
    for (let i = 0; i < 20; i++) {
      const t = 999 - (999 * i) / 19;
      expect(s.timesteps[i]).toBe(Math.fround(t));
      // float32 1 - alpha-bar cancels near t = 0 (beta_0 = 8.5e-4): ~1e-5 there, as in diffusers
      expect(Math.abs(s.sigmas[i]! / sigmaAt64(acp64, t) - 1)).toBeLessThan(t > 200 ? 1e-6 : 5e-5);
    }
    expect(s.timesteps[1]).not.toBe(Math.round(s.timesteps[1]!));
    expect(Math.abs(s.initNoiseSigma / sigmaAt64(acp64, 999) - 1)).toBeLessThan(2e-6);
  });

  it('trailing, 20 steps: [999, 949, ..., 49], initNoiseSigma = sigma(999)', () => {
    const s = make('trailing');
    s.setTimesteps(20);
    expect([...s.timesteps]).toEqual(Array.from({ length: 20 }, (_, i) => 999 - 50 * i));
    expect(s.initNoiseSigma).toBe(s.sigmas[0]);
  });

  it.each(['leading', 'linspace', 'trailing'] as const)('full %s loop matches a float64 re-implementation', (spacing) => {
    const noise = pseudoRandom(256, 11);
    const s = make(spacing);
    const x = sampleLoop(s, 20, noise, { inPlace: true });
    const ref = eulerLoop64(s.timesteps, spacing === 'leading', noise);
    expect(relErr(x, ref)).toBeLessThan(2e-5);
  });

  it('scaleModelInput divides by sqrt(sigma^2 + 1) and does not advance the step', () => {
    const s = make('leading');
    s.setTimesteps(20);
    const x = pseudoRandom(8, 1);
    const a = s.scaleModelInput(x, 951);
    const b = s.scaleModelInput(x, 951);
    expect([...a]).toEqual([...b]);
    const sigma = s.sigmas[0]!;
    for (let i = 0; i < 8; i++) expect(a[i]).toBeCloseTo(x[i]! / Math.sqrt(sigma * sigma + 1), 6);
  });

  it('v-prediction step: x0 = -sigma / sqrt(sigma^2 + 1) v + x / (sigma^2 + 1)', () => {
    const s = make('leading', { predictionType: 'v_prediction' });
    s.setTimesteps(20);
    const x = pseudoRandom(16, 2), v = pseudoRandom(16, 3);
    const out = s.step(v, 951, x);
    const [sg, next] = [s.sigmas[0]!, s.sigmas[1]!];
    for (let i = 0; i < 16; i++) {
      const x0 = (v[i]! * -sg) / Math.sqrt(sg * sg + 1) + x[i]! / (sg * sg + 1);
      expect(out[i]).toBeCloseTo(x[i]! + ((x[i]! - x0) / sg) * (next - sg), 5);
    }
  });

  it('a run may start mid-list (img2img): the first t sets the step index', () => {
    const s = make('leading');
    s.setTimesteps(20);
    const x0 = pseudoRandom(16, 4), noise = pseudoRandom(16, 5);
    const noised = s.addNoise(x0, noise, s.timesteps[5]!);
    for (let i = 0; i < 16; i++) expect(noised[i]).toBeCloseTo(x0[i]! + noise[i]! * s.sigmas[5]!, 5);
    const eps = pseudoRandom(16, 6);
    const out = s.step(eps, s.timesteps[5]!, noised);
    for (let i = 0; i < 16; i++) expect(out[i]).toBeCloseTo(noised[i]! + eps[i]! * (s.sigmas[6]! - s.sigmas[5]!), 5);
    expect(() => s.step(eps, s.timesteps[8]!, out)).toThrow(/expects 651/);
  });

  it('fails clearly before setTimesteps and on unknown timesteps', () => {
    const s = make('leading');
    expect(() => s.step(new Float32Array(2), 951, new Float32Array(2))).toThrow(/setTimesteps/);
    s.setTimesteps(20);
    expect(() => s.step(new Float32Array(2), 950, new Float32Array(2))).toThrow(/not one of/);
  });

  it('final sigma: sigma_min instead of 0 when configured', () => {
    const s = make('leading', { finalSigmasType: 'sigma_min' });
    s.setTimesteps(20);
    expect(s.sigmas[20]).toBe(s.trainSigmas[0]);
  });
});
