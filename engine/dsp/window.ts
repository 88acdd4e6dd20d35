/** Periodic Hann window, as torch.hann_window(n) (periodic=True) used by Riffusion's STFT. */
export function hannWindow(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}
