/**
 * The few NumPy and PyTorch array routines diffusers' schedulers use, reproduced operation for
 * operation so that timesteps and sigmas come out bit-identical (NumPy 1.2x/2.x, PyTorch 2.x CPU).
 * All results are Float64Array; "float32" results hold float32-representable values.
 */

const f32 = Math.fround;

/** `np.round` (round half to even), element-wise on one number. */
export function npRound(x: number): number {
  // Math.round rounds halves up; NumPy uses rint (ties to even).
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

/**
 * `np.linspace(start, stop, num)` in float64: `arange(num) * step + start`, last element = stop.
 * (NumPy multiplies first and adds after, two roundings; the endpoint is set exactly.)
 */
export function npLinspace(start: number, stop: number, num: number): Float64Array {
  const y = new Float64Array(num);
  const div = num - 1;
  if (div <= 0) {
    if (num === 1) y[0] = start;
    return y;
  }
  const step = (stop - start) / div;
  for (let i = 0; i < num; i++) y[i] = i * step + start;
  y[num - 1] = stop;
  return y;
}

/**
 * `np.arange(start, stop, step)` for a float step: length ceil((stop - start) / step); values
 * start + i * delta with delta = (start + step) - start (NumPy's DOUBLE_fill).
 */
export function npArange(start: number, stop: number, step: number): Float64Array {
  const len = Math.max(0, Math.ceil((stop - start) / step));
  const y = new Float64Array(len);
  if (len === 0) return y;
  y[0] = start;
  if (len === 1) return y;
  const next = start + step;
  y[1] = next;
  const delta = next - start;
  for (let i = 2; i < len; i++) y[i] = start + i * delta;
  return y;
}

/**
 * `np.interp(x, xp, fp)` for increasing xp (NumPy's compiled loop: exact hits return fp[j],
 * otherwise slope * (x - xp[j]) + fp[j]; clamped outside [xp[0], xp[last]]).
 */
export function npInterp(x: ArrayLike<number>, xp: ArrayLike<number>, fp: ArrayLike<number>): Float64Array {
  const n = xp.length;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < xp[0]!) { out[i] = fp[0]!; continue; }
    if (v >= xp[n - 1]!) { out[i] = fp[n - 1]!; continue; }
    let lo = 0, hi = n - 1; // invariant: xp[lo] <= v < xp[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xp[mid]! <= v) lo = mid; else hi = mid;
    }
    if (xp[lo] === v) { out[i] = fp[lo]!; continue; }
    const slope = (fp[lo + 1]! - fp[lo]!) / (xp[lo + 1]! - xp[lo]!);
    out[i] = slope * (v - xp[lo]!) + fp[lo]!;
  }
  return out;
}

/**
 * `torch.linspace(start, end, steps, dtype=torch.float32)` on CPU (ATen RangeFactoriesKernel):
 * step = (end - start) / (steps - 1) in float32; the first half counts up from start, the second
 * half down from end. `start + step * i` is taken as one fused multiply-add, which is what the
 * AVX2/AVX-512 kernels compiled with -mfma (and CUDA) produce; a build without FMA may differ in
 * the last bit of a few values (< 1.2e-7 relative on alpha-bar).
 */
export function torchLinspaceFloat32(start: number, end: number, steps: number): Float64Array {
  const y = new Float64Array(steps);
  const s = f32(start), e = f32(end);
  if (steps === 1) { y[0] = s; return y; }
  const step = f32(f32(e - s) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  // step * i is exact in float64 (24-bit x < 31-bit); one rounding to float32 = the FMA.
  for (let i = 0; i < steps; i++) y[i] = i < halfway ? f32(s + step * i) : f32(e - step * (steps - i - 1));
  return y;
}
