/**
 * Band-limited sample-rate conversion by windowed-sinc interpolation (Kaiser window).
 *
 * Design: the anti-aliasing low-pass passes up to 90 % of the lower of the two Nyquist
 * frequencies and reaches the stopband (about -90 dB) exactly at that Nyquist, so nothing
 * aliases and the audible band is untouched. Each output sample is a dot product of the input
 * around its position with one phase of the filter; phases come from a precomputed polyphase
 * table (exact when the rate ratio is a simple fraction, linearly interpolated otherwise).
 */

/** Stopband attenuation the Kaiser window is designed for, dB. */
const STOPBAND_DB = 90;
/** Passband edge as a fraction of the lower Nyquist frequency; the stopband starts at 1.0. */
const PASSBAND_EDGE = 0.9;
/** Largest polyphase table (number of phases); finer ratios interpolate between phases. */
const MAX_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta < 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

interface Kernel {
  /** rows of `taps` coefficients; row p is for fractional position p / phases */
  readonly table: Float32Array;
  readonly phases: number;
  readonly taps: number;
  /** the first tap applies to input index floor(position) - half + 1 */
  readonly half: number;
}

function designKernel(fromRate: number, toRate: number, phases: number): Kernel {
  const ratio = Math.min(1, toRate / fromRate);
  // Frequencies in cycles per input sample.
  const stop = 0.5 * ratio;
  const width = stop * (1 - PASSBAND_EDGE);
  const cutoff = stop - width / 2;
  // Kaiser's formulas for window shape and length given attenuation and transition width.
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  const half = Math.ceil((STOPBAND_DB - 7.95) / (14.36 * width) / 2);
  const taps = 2 * half;
  const i0Beta = besselI0(beta);
  const table = new Float32Array((phases + 1) * taps);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      // Distance from the output position to input sample (floor(pos) - half + 1 + j).
      const t = frac + half - 1 - j;
      const r = t / half;
      const w = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
      const x = 2 * cutoff * t;
      const v = w * 2 * cutoff * (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));
      table[p * taps + j] = v;
      sum += v;
    }
    // Unit DC gain per phase: otherwise a constant input would ripple at the phase rate.
    for (let j = 0; j < taps; j++) table[p * taps + j] /= sum;
  }
  return { table, phases, taps, half };
}

const kernelCache = new Map<string, Kernel>();

/**
 * Convert `samples` from `fromRate` to `toRate` (Hz, positive integers).
 * Returns a copy when the rates are equal. The output has ceil(n * toRate / fromRate) samples,
 * sample k sitting at time k / toRate; the signal is taken as zero outside its ends.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate < 1 || toRate < 1) {
    throw new Error(`resample: rates must be positive integers (got ${fromRate} -> ${toRate})`);
  }
  if (fromRate === toRate) return samples.slice();
  const g = gcd(fromRate, toRate);
  const up = toRate / g; // output position k is at input position k * down / up
  const down = fromRate / g;
  const phases = Math.min(up, MAX_PHASES);
  const key = `${fromRate}:${toRate}`;
  let kernel = kernelCache.get(key);
  if (!kernel) {
    kernel = designKernel(fromRate, toRate, phases);
    kernelCache.set(key, kernel);
  }
  const { table, taps, half } = kernel;

  const n = samples.length;
  const outLength = Math.ceil((n * up) / down);
  // Zero padding on both sides keeps the inner loop free of bounds checks.
  const padded = new Float64Array(n + 2 * half + 1);
  padded.set(samples, half);
  const out = new Float32Array(outLength);
  let base = 0; // floor(input position)
  let rem = 0; // input position = base + rem / up
  const step = Math.floor(down / up);
  const stepRem = down % up;
  for (let k = 0; k < outLength; k++) {
    // Padded index of the first tap: (base - half + 1) + half.
    const s = base + 1;
    const idx = (rem * phases) / up;
    const p0 = Math.floor(idx);
    const mix = idx - p0;
    let acc = 0;
    let row = p0 * taps;
    for (let j = 0; j < taps; j++) acc += padded[s + j] * table[row + j];
    if (mix > 0) {
      // Irregular ratio: blend with the next phase; the error is far below the stopband.
      let acc2 = 0;
      row += taps;
      for (let j = 0; j < taps; j++) acc2 += padded[s + j] * table[row + j];
      acc += mix * (acc2 - acc);
    }
    out[k] = acc;
    base += step;
    rem += stepRem;
    if (rem >= up) {
      rem -= up;
      base += 1;
    }
  }
  return out;
}
