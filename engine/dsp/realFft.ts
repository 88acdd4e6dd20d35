import { ComplexFft } from './complexFft.js';

/**
 * Real FFT of even length N via one complex FFT of length N/2 (even samples as real part, odd as
 * imaginary), plus the usual split post-processing. Spectra are one-sided: N/2 + 1 bins in split
 * re/im arrays. Buffers are owned by the plan, so a transform allocates nothing.
 */
export class RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly half: number;
  private readonly fft: ComplexFft;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  /** e^(-2 pi i k / N) for k <= N/2 */
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || size % 2 !== 0) throw new RangeError(`real FFT size must be even, got ${size}`);
    this.size = size;
    this.half = size / 2;
    this.bins = this.half + 1;
    this.fft = new ComplexFft(this.half);
    this.zr = new Float64Array(this.half);
    this.zi = new Float64Array(this.half);
    this.wr = new Float64Array(this.bins);
    this.wi = new Float64Array(this.bins);
    for (let k = 0; k < this.bins; k++) {
      this.wr[k] = Math.cos((-2 * Math.PI * k) / size);
      this.wi[k] = Math.sin((-2 * Math.PI * k) / size);
    }
  }

  /** X[k] = sum_n x[n] e^(-2 pi i n k / N), k = 0..N/2. `input` has N samples. */
  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    const h = this.half, zr = this.zr, zi = this.zi, wr = this.wr, wi = this.wi;
    for (let n = 0; n < h; n++) {
      zr[n] = input[2 * n]!;
      zi[n] = input[2 * n + 1]!;
    }
    const [zr2, zi2] = this.fft.transform(zr, zi);
    this.post(zr2, zi2, outRe, outIm);
  }

  /**
   * forward() of x[start + n] * window[n], n < N, without an intermediate buffer: Griffin-Lim
   * windows every frame it analyses, and the extra pass is measurable.
   */
  forwardWindowed(x: Float64Array, start: number, window: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const h = this.half, zr = this.zr, zi = this.zi;
    for (let n = 0, j = start; n < h; n++, j += 2) {
      zr[n] = x[j]! * window[2 * n]!;
      zi[n] = x[j + 1]! * window[2 * n + 1]!;
    }
    const [zr2, zi2] = this.fft.transform(zr, zi);
    this.post(zr2, zi2, outRe, outIm);
  }

  private post(zr: Float64Array, zi: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const h = this.half, wr = this.wr, wi = this.wi;
    outRe[0] = zr[0]! + zi[0]!;
    outIm[0] = 0;
    outRe[h] = zr[0]! - zi[0]!;
    outIm[h] = 0;
    for (let k = 1; k < h; k++) {
      const ar = zr[k]!, ai = zi[k]!, br = zr[h - k]!, bi = -zi[h - k]!; // b = conj(Z[h-k])
      const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi); // even part E = (Z[k] + conj Z[h-k]) / 2
      const dr = 0.5 * (ar - br), di = 0.5 * (ai - bi); // odd part O = (Z[k] - conj Z[h-k]) / (2i)
      const or = di, oi = -dr;
      outRe[k] = er + wr[k]! * or - wi[k]! * oi;
      outIm[k] = ei + wr[k]! * oi + wi[k]! * or;
    }
  }

  /**
   * x[n] = (1/N) sum over the full Hermitian spectrum; the imaginary parts of bins 0 and N/2 are
   * ignored, as numpy.fft.irfft does. Writes N samples into `output`.
   */
  inverse(inRe: Float64Array | Float32Array, inIm: Float64Array | Float32Array, output: Float64Array): void {
    const [yr, yi] = this.inverseCore(inRe, inIm);
    const scale = 1 / this.half;
    for (let n = 0; n < this.half; n++) {
      output[2 * n] = yi[n]! * scale;
      output[2 * n + 1] = yr[n]! * scale;
    }
  }

  /** inverse(), multiplied by window[n] and written to output[outStart + n] (Griffin-Lim synthesis). */
  inverseWindowed(inRe: Float64Array | Float32Array, inIm: Float64Array | Float32Array, window: Float64Array,
    output: Float32Array, outStart: number): void {
    const [yr, yi] = this.inverseCore(inRe, inIm);
    const scale = 1 / this.half;
    for (let n = 0, j = outStart; n < this.half; n++, j += 2) {
      output[j] = yi[n]! * scale * window[2 * n]!;
      output[j + 1] = yr[n]! * scale * window[2 * n + 1]!;
    }
  }

  /** The inverse up to the final scaling: returns the arrays holding swap(IFFT) of the packed spectrum. */
  private inverseCore(inRe: Float64Array | Float32Array, inIm: Float64Array | Float32Array): [Float64Array, Float64Array] {
    const h = this.half, zr = this.zr, zi = this.zi, wr = this.wr, wi = this.wi;
    // Rebuild Z[k] = E[k] + i O[k] with E = (X[k] + conj X[h-k]) / 2 and O = (X[k] - conj X[h-k]) e^(+2 pi i k/N) / 2.
    {
      // k = 0: bins 0 and N/2 are real
      const er = 0.5 * (inRe[0]! + inRe[h]!), dr = 0.5 * (inRe[0]! - inRe[h]!);
      zr[0] = dr;
      zi[0] = er;
    }
    for (let k = 1; k < h; k++) {
      const ar = inRe[k]!, ai = inIm[k]!;
      const br = inRe[h - k]!, bi = -inIm[h - k]!;
      const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
      // multiply by conj(w) = e^(+2 pi i k / N)
      const or = dr * wr[k]! + di * wi[k]!, oi = di * wr[k]! - dr * wi[k]!;
      // Z = E + i O; the inverse complex FFT is done by swapping re/im around a forward FFT.
      const zRe = er - oi, zIm = ei + or;
      zr[k] = zIm;
      zi[k] = zRe;
    }
    return this.fft.transform(zr, zi);
  }
}
