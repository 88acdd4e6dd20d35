import { describe, expect, it } from 'vitest';
import { LCMScheduler } from '../../../../engine/diffusion/schedulers/lcm.js';
import { createScheduler, schedulerKindOf } from '../../../../engine/diffusion/schedulers/createScheduler.js';
import { schedulerConfigFromJson } from '../../../../engine/diffusion/schedulers/schedulerConfig.js';
import { seedFromNoise, seededStepNoise } from '../../../../engine/diffusion/schedulers/stepNoise.js';
import type { PredictionType } from '../../../../engine/diffusion/schedulers/scheduler.js';
import { pseudoRandom, toyModel } from './schedulerContract.js';
import { relErr, sdAlphasCumprod64 } from './reference64.js';

const acp64 = sdAlphasCumprod64();
/** the test's own noise: step k -> pseudoRandom(len, 1000 + k) */
const testNoise = (k: number, out: Float32Array) => out.set(pseudoRandom(out.length, 1000 + k));

/** LCM timesteps written from the paper's skipping schedule: the origin grid k*i - 1, n of them evenly from the top. */
function lcmTimesteps64(n: number, N = 50, T = 1000): number[] {
  const k = Math.floor(T / N);
  const origin = Array.from({ length: N }, (_, i) => (i + 1) * k - 1).reverse();
  return Array.from({ length: n }, (_, i) => origin[Math.floor((i * N) / n)]!);
}

/** LCM multistep sampling (arXiv:2310.04378, Alg. 3) in float64 with the same toy model and noise. */
function lcmLoop64(n: number, noise: Float32Array, prediction: PredictionType): Float64Array {
  const ts = lcmTimesteps64(n);
  let x = Float64Array.from(noise);
  ts.forEach((t, i) => {
    const m = toyModel(Float32Array.from(x), t, noise);
    const a = acp64[t]!;
    const s = t * 10, cSkip = 0.25 / (s * s + 0.25), cOut = s / Math.sqrt(s * s + 0.25);
    const den = x.map((xv, j) => {
      const x0 = prediction === 'epsilon' ? (xv - Math.sqrt(1 - a) * m[j]!) / Math.sqrt(a) : Math.sqrt(a) * xv - Math.sqrt(1 - a) * m[j]!;
      return cOut * x0 + cSkip * xv;
    });
    if (i === ts.length - 1) { x = den; return; }
    const ap = acp64[ts[i + 1]!]!;
    const z = new Float32Array(x.length);
    testNoise(i, z);
    x = den.map((d, j) => Math.sqrt(ap) * d + Math.sqrt(1 - ap) * z[j]!);
  });
  return x;
}

function run(s: LCMScheduler, n: number, noise: Float32Array): Float32Array {
  s.setTimesteps(n);
  const x = noise.slice();
  for (const t of s.timesteps) s.step(toyModel(s.scaleModelInput(x, t), t, noise), t, x, x);
  return x;
}

describe('LCMScheduler', () => {
  it('timesteps follow the skipping schedule of the 50-step distillation grid', () => {
    const s = new LCMScheduler();
    for (const [n, expected] of [[1, [999]], [2, [999, 499]], [4, [999, 759, 499, 259]], [8, [999, 879, 759, 639, 499, 379, 259, 139]]] as const) {
      s.setTimesteps(n);
      expect([...s.timesteps], `n = ${n}`).toEqual(expected);
      expect([...s.timesteps]).toEqual(lcmTimesteps64(n));
    }
    const short = new LCMScheduler({ originalInferenceSteps: 10 });
    short.setTimesteps(3);
    expect([...short.timesteps]).toEqual([999, 699, 399]);
  });

  it.each([[2, 'epsilon'], [4, 'epsilon'], [8, 'epsilon'], [4, 'v_prediction']] as const)('%i-step %s loop matches the float64 reference', (n, predictionType) => {
    const noise = pseudoRandom(256, 31);
    const s = new LCMScheduler({ predictionType });
    s.stepNoise = testNoise;
    expect(relErr(run(s, n, noise), lcmLoop64(n, noise, predictionType))).toBeLessThan(2e-5);
  });

  it('one step is the boundary-conditioned x0 with no noise; at t = 999 c_skip is ~0 and c_out ~1', () => {
    const s = new LCMScheduler();
    s.stepNoise = () => { throw new Error('no noise on the last step'); };
    s.setTimesteps(1);
    const x = pseudoRandom(8, 2), eps = pseudoRandom(8, 3);
    const out = s.step(eps, 999, x);
    const { cSkip, cOut } = s.boundaryScalings(999);
    expect(cSkip).toBeCloseTo(0.25 / (9990 ** 2 + 0.25), 12);
    expect(cOut).toBeCloseTo(1, 6);
    const a = acp64[999]!;
    for (let i = 0; i < 8; i++) expect(out[i]).toBeCloseTo(cOut * (x[i]! - Math.sqrt(1 - a) * eps[i]!) / Math.sqrt(a) + cSkip * x[i]!, 4);
  });

  it('the injected noise matters, and the default noise is reproducible', () => {
    const noise = pseudoRandom(64, 4);
    const a = run(new LCMScheduler(), 4, noise);
    const b = run(new LCMScheduler(), 4, noise);
    expect([...a]).toEqual([...b]);
    const c = new LCMScheduler();
    c.stepNoise = seededStepNoise(7);
    expect(relErr(run(c, 4, noise), a)).toBeGreaterThan(1e-3);
    expect(seedFromNoise(noise)).toBe(seedFromNoise(noise.slice()));
    expect(seedFromNoise(noise)).not.toBe(seedFromNoise(pseudoRandom(64, 5)));
  });

  it("comes from scheduler_config.json with _class_name LCMScheduler and diffusers' defaults", () => {
    const json = { _class_name: 'LCMScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, original_inference_steps: 50, timestep_scaling: 10.0 };
    const config = schedulerConfigFromJson(json);
    expect(schedulerKindOf(json, 'm')).toBe('lcm');
    const s = createScheduler('lcm', config);
    expect(s).toBeInstanceOf(LCMScheduler);
    expect(s.config).toMatchObject({ originalInferenceSteps: 50, timestepScaling: 10, setAlphaToOne: true, clipSample: false });
    expect(s.toJSON()).toMatchObject({ _class_name: 'LCMScheduler', original_inference_steps: 50, timestep_scaling: 10 });
    expect(() => schedulerKindOf({ _class_name: 'UniPCMultistepScheduler' }, 'models/x')).toThrow(/models\/x: .*UniPCMultistepScheduler.* is not one of/);
    expect(() => schedulerConfigFromJson({ _class_name: 'LCMScheduler', timestep_scaling: -1 })).toThrow(/timestepScaling = -1 must be/);
    expect(() => new LCMScheduler({ originalInferenceSteps: 2000 })).toThrow(/originalInferenceSteps = 2000/);
  });
});
