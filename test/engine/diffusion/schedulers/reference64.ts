/**
 * Straightforward float64 versions of the noise-schedule formulas, written from the papers/diffusers
 * docs without any of the float32 emulation, as an independent code path for the tests.
 */

/** Stable Diffusion's scaled-linear alpha-bar in float64: betas = linspace(sqrt(b0), sqrt(b1), T)^2. */
export function sdAlphasCumprod64(T = 1000, b0 = 0.00085, b1 = 0.012): Float64Array {
  const out = new Float64Array(T);
  let prod = 1;
  for (let i = 0; i < T; i++) {
    const r = Math.sqrt(b0) + ((Math.sqrt(b1) - Math.sqrt(b0)) * i) / (T - 1);
    prod *= 1 - r * r;
    out[i] = prod;
  }
  return out;
}

/** Karras sigma at a (possibly fractional) training timestep, linear in t between integers. */
export function sigmaAt64(acp: Float64Array, t: number): number {
  const sigma = (i: number) => Math.sqrt((1 - acp[i]!) / acp[i]!);
  const lo = Math.floor(t);
  if (lo >= acp.length - 1) return sigma(acp.length - 1);
  return sigma(lo) + (t - lo) * (sigma(lo + 1) - sigma(lo));
}

/** max |a - b| / max |b| */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}
