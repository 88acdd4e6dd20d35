/** Mel arrays are [mel * width + column]; these cut and join them along the columns (time). */

/** columns [a, b) of an (M x width) array, as a new (M x (b - a)) array (the array itself when that is all of it) */
export function sliceMelColumns(mel: Float32Array, width: number, a: number, b: number, M: number): Float32Array {
  if (a === 0 && b === width) return mel;
  const out = new Float32Array(M * (b - a));
  for (let m = 0; m < M; m++) out.set(mel.subarray(m * width + a, m * width + b), m * (b - a));
  return out;
}

/** [left | right] side by side */
export function joinMelColumns(left: Float32Array, wl: number, right: Float32Array, wr: number, M: number): Float32Array {
  const w = wl + wr;
  const out = new Float32Array(M * w);
  for (let m = 0; m < M; m++) {
    out.set(left.subarray(m * wl, (m + 1) * wl), m * w);
    out.set(right.subarray(m * wr, (m + 1) * wr), m * w + wl);
  }
  return out;
}
