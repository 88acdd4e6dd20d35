/**
 * Training noise schedule and inference timestep spacing shared by the schedulers, reproducing
 * diffusers (>= 0.25) including its float32 arithmetic: betas are a float32 torch tensor,
 * `alphas_cumprod = torch.cumprod(1 - betas)` (CPU: float64 accumulator, float32 results), and
 * sigmas are computed from that float32 tensor. Arrays are Float64Array holding float32 values.
 *
 * Notation: T = numTrainTimesteps, n = numInferenceSteps, alpha-bar_t = alphasCumprod[t],
 * sigma_t = sqrt((1 - alpha-bar_t) / alpha-bar_t) (the Karras/k-diffusion noise level).
 */
import { UserError } from '../../errors.js';
import type { SchedulerConfig } from './scheduler.js';
import { npArange, npLinspace, npRound, torchLinspaceFloat32 } from './numericCompat.js';
import { checkIntegerTimestep, checkSameLength, outBuffer } from './stepBuffers.js';

const f32 = Math.fround;

/**
 * diffusers `betas_for_alpha_bar` (cosine, Nichol & Dhariwal 2021 eq. 17): beta_i =
 * min(1 - abar((i+1)/T) / abar(i/T), maxBeta) with abar(t) = cos((t + 0.008) / 1.008 * pi/2)^2,
 * computed in float64 and stored as float32.
 */
export function betasForAlphaBar(numTrainTimesteps: number, maxBeta = 0.999): Float64Array {
  const alphaBar = (t: number): number => {
    const c = Math.cos(((t + 0.008) / 1.008) * Math.PI / 2);
    return c * c;
  };
  const betas = new Float64Array(numTrainTimesteps);
  for (let i = 0; i < numTrainTimesteps; i++) {
    const t1 = i / numTrainTimesteps, t2 = (i + 1) / numTrainTimesteps;
    betas[i] = f32(Math.min(1 - alphaBar(t2) / alphaBar(t1), maxBeta));
  }
  return betas;
}

/** The T betas (float32 values) of a config, as diffusers' scheduler constructors build them. */
export function makeBetas(config: Pick<SchedulerConfig, 'numTrainTimesteps' | 'betaStart' | 'betaEnd' | 'betaSchedule' | 'trainedBetas'>): Float64Array {
  const T = config.numTrainTimesteps;
  if (config.trainedBetas) return Float64Array.from(config.trainedBetas, f32);
  switch (config.betaSchedule) {
    case 'linear':
      return torchLinspaceFloat32(config.betaStart, config.betaEnd, T);
    case 'scaled_linear': {
      // (linspace(sqrt(start), sqrt(end)) ** 2): torch's pow by 2 is x * x in float32
      const r = torchLinspaceFloat32(Math.sqrt(config.betaStart), Math.sqrt(config.betaEnd), T);
      return r.map((v) => f32(v * v));
    }
    case 'squaredcos_cap_v2':
      return betasForAlphaBar(T);
    default:
      throw new UserError(`scheduler config: unknown betaSchedule ${String(config.betaSchedule)}`);
  }
}

/**
 * alpha-bar_t = prod_{s<=t} (1 - beta_s): float32 alphas, running product in float64 (ATen's CPU
 * cumprod accumulates in `acc_type<float> = double`), each partial product rounded to float32.
 */
export function alphasCumprod(betas: ArrayLike<number>): Float64Array {
  const out = new Float64Array(betas.length);
  let acc = 1;
  for (let i = 0; i < betas.length; i++) {
    acc *= f32(1 - betas[i]!);
    out[i] = f32(acc);
  }
  return out;
}

/**
 * sigma_t = ((1 - abar) / abar) ** 0.5 evaluated as diffusers does on the float32 tensor
 * (torch's pow by 0.5 is sqrt): one float32 rounding per operation. Indexed by training timestep.
 */
export function trainSigmas(alphasCumprodF32: ArrayLike<number>): Float64Array {
  const out = new Float64Array(alphasCumprodF32.length);
  for (let i = 0; i < out.length; i++) {
    const a = alphasCumprodF32[i]!;
    out[i] = f32(Math.sqrt(f32(f32(1 - a) / a)));
  }
  return out;
}

/**
 * `leading` spacing, descending: (arange(n) * (T // n))[::-1] + offset.
 * T = 1000, n = 20, offset 1 -> [951, 901, ..., 1].
 */
export function leadingTimesteps(T: number, n: number, stepsOffset: number): Float64Array {
  const ratio = Math.floor(T / n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (n - 1 - i) * ratio + stepsOffset;
  return out;
}

/**
 * `linspace` spacing, descending and unrounded: np.linspace(0, T - 1, n)[::-1] in float64.
 * Euler keeps the fractions (as float32); DDIM and PNDM round them (half to even).
 */
export function linspaceTimesteps(T: number, n: number): Float64Array {
  return npLinspace(0, T - 1, n).reverse();
}

/**
 * `trailing` spacing, descending: np.round(np.arange(T, 0, -T / n)) - 1.
 * T = 1000, n = 20 -> [999, 949, ..., 49].
 * Deliberate deviation: for some n (61, 103, 121, ... with T = 1000) NumPy's arange overshoots by
 * one element, a value ~1e-13 that becomes timestep -1; diffusers then runs n + 1 steps (and DDIM
 * indexes alpha-bar[-1], the last one). Only the first n entries are kept here.
 */
export function trailingTimesteps(T: number, n: number): Float64Array {
  return npArange(T, 0, -T / n).subarray(0, n).map((v) => npRound(v) - 1);
}

/** Throws unless every timestep lies in [0, T) (leading + stepsOffset can reach T). */
export function checkTimestepRange(timesteps: Float64Array, T: number, who: string): void {
  for (const t of timesteps) {
    if (!(t >= 0 && t < T)) {
      throw new UserError(`${who}: timestep ${t} is outside [0, ${T}); with leading spacing, stepsOffset + (n - 1) * floor(T / n) must stay below T`);
    }
  }
}

/** Throws unless n is an integer in [1, T] (diffusers DDIM's check, applied to every scheduler). */
export function checkNumInferenceSteps(n: number, T: number, who: string): void {
  if (!Number.isInteger(n) || n < 1 || n > T) {
    throw new UserError(`${who}: numInferenceSteps must be an integer in [1, ${T}] (numTrainTimesteps), got ${n}`);
  }
}

/**
 * diffusers DDPM/DDIM/PNDM `add_noise`: sqrt(abar_t) * x0 + sqrt(1 - abar_t) * noise, in float32.
 * @param alphasCumprodF32 alpha-bar per training timestep
 */
export function addNoiseVp(alphasCumprodF32: Float64Array, original: Float32Array, noise: Float32Array, t: number,
  out: Float32Array | undefined, who: string): Float32Array {
  checkIntegerTimestep(t, alphasCumprodF32.length, who);
  checkSameLength(who, original, noise);
  const a = alphasCumprodF32[t]!;
  const sa = f32(Math.sqrt(a)), sb = f32(Math.sqrt(f32(1 - a)));
  const o = outBuffer(out, original.length, who);
  for (let i = 0; i < original.length; i++) o[i] = f32(sa * original[i]!) + f32(sb * noise[i]!);
  return o;
}
