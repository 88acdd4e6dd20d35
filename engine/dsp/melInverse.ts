import type { MelFilterBank } from './melFilterBank.js';

/**
 * Mel -> linear magnitude by non-negative least squares, on a coarse frequency grid.
 *
 * Why coarse: Riffusion's 4410-sample window zero-padded to 17640 makes every 4th bin of the
 * 17640-point DFT exactly the 4410-point DFT, and the bins in between are interpolations of them.
 * So we solve for the `decimation`-th bins only and model a fine bin as the linear interpolation of
 * its two coarse neighbours: fine filter bank F (bins x mels) becomes the coarse bank C = H^T F with
 * H the interpolation matrix. Phase reconstruction then runs on 4410-point transforms.
 *
 * Solve: ridge least squares x0 = C (C^T C + lambda I)^-1 y (C^T C is banded: a banded Cholesky
 * factor is precomputed once), then multiplicative NNLS updates x <- x * (C y) / (C C^T x), which
 * keep x >= 0 and converge to the non-negative least-squares solution (Lee & Seung 2001).
 * Cheaper and closer than torchaudio <= 2.0's 200-step SGD (riffusion.md section 3).
 */
export class MelInverter {
  readonly numMels: number;
  readonly numCoarseBins: number;
  /** coarse bank, per mel: first coarse bin and weights */
  private readonly start: Int32Array;
  private readonly offset: Int32Array;
  private readonly weights: Float64Array;
  private readonly band: number;
  /** banded Cholesky factor of C^T C + lambda I: chol[m * (band + 1) + d] = L[m][m - d] */
  private readonly chol: Float64Array;
  private readonly nnlsIterations: number;
  private readonly y: Float64Array;
  private readonly z: Float64Array;
  private readonly cy: Float64Array;
  private readonly ctx: Float64Array;
  private readonly denom: Float64Array;

  constructor(fine: MelFilterBank, decimation: number, options: { ridge?: number; nnlsIterations?: number } = {}) {
    this.numMels = fine.numMels;
    this.numCoarseBins = Math.floor((fine.numBins - 1) / decimation) + 1;
    this.nnlsIterations = options.nnlsIterations ?? 0;
    const coarse = coarsenFilterBank(fine, decimation, this.numCoarseBins);
    this.start = coarse.start;
    this.offset = coarse.offset;
    this.weights = coarse.weights;
    this.band = this.computeBandwidth();
    this.chol = this.factorize(options.ridge ?? 1e-3);
    this.y = new Float64Array(this.numMels);
    this.z = new Float64Array(this.numMels);
    this.cy = new Float64Array(this.numCoarseBins);
    this.ctx = new Float64Array(this.numMels);
    this.denom = new Float64Array(this.numCoarseBins);
  }

  /** Coarse bins that any filter reaches: everything above stays zero. */
  get activeBins(): number {
    let top = 0;
    for (let m = 0; m < this.numMels; m++) top = Math.max(top, this.start[m]! + this.offset[m + 1]! - this.offset[m]!);
    return top;
  }

  /**
   * mel column (numMels values, read at mel[offset + m * stride]) -> coarse magnitude (numCoarseBins).
   */
  invert(mel: ArrayLike<number>, offset: number, stride: number, out: Float64Array | Float32Array): void {
    const M = this.numMels, y = this.y, z = this.z;
    let peak = 0;
    for (let m = 0; m < M; m++) {
      // negative, NaN or missing values count as silence
      const raw = mel[offset + m * stride]!;
      const v = raw > 0 && raw < Infinity ? raw : 0;
      y[m] = v;
      if (v > peak) peak = v;
    }
    out.fill(0);
    if (peak === 0) return;
    this.solveBanded(y, z);
    this.multiplyC(z, out);
    // Measured on Riffusion's seeds: ReLU of the ridge solution scores as well as NNLS refinement
    // (mel spectral convergence after phase reconstruction), so refinement is opt-in.
    const floor = this.nnlsIterations > 0 ? peak * 1e-4 : 0;
    for (let j = 0; j < out.length; j++) out[j] = Math.max(out[j]!, floor);
    if (this.nnlsIterations === 0) return;
    this.multiplyC(y, this.cy);
    const denom = this.denom;
    for (let it = 0; it < this.nnlsIterations; it++) {
      this.multiplyCt(out, this.ctx);
      this.multiplyC(this.ctx, denom);
      for (let j = 0; j < out.length; j++) {
        const d = denom[j]!;
        out[j] = d > 0 ? (out[j]! * this.cy[j]!) / d : 0;
      }
    }
  }

  /** out[j] = sum_m C[j][m] v[m] */
  private multiplyC(v: Float64Array, out: Float64Array | Float32Array): void {
    out.fill(0);
    for (let m = 0; m < this.numMels; m++) {
      const vm = v[m]!;
      if (vm === 0) continue;
      for (let i = this.offset[m]!, j = this.start[m]!; i < this.offset[m + 1]!; i++, j++) out[j] = out[j]! + this.weights[i]! * vm;
    }
  }

  /** out[m] = sum_j C[j][m] x[j] */
  private multiplyCt(x: Float64Array | Float32Array, out: Float64Array): void {
    for (let m = 0; m < this.numMels; m++) {
      let acc = 0;
      for (let i = this.offset[m]!, j = this.start[m]!; i < this.offset[m + 1]!; i++, j++) acc += this.weights[i]! * x[j]!;
      out[m] = acc;
    }
  }

  private gram(a: number, b: number): number {
    const sa = this.start[a]!, ea = sa + this.offset[a + 1]! - this.offset[a]!;
    const sb = this.start[b]!, eb = sb + this.offset[b + 1]! - this.offset[b]!;
    let acc = 0;
    for (let j = Math.max(sa, sb); j < Math.min(ea, eb); j++) {
      acc += this.weights[this.offset[a]! + j - sa]! * this.weights[this.offset[b]! + j - sb]!;
    }
    return acc;
  }

  private computeBandwidth(): number {
    let band = 0;
    for (let m = 0; m < this.numMels; m++) {
      const end = this.start[m]! + this.offset[m + 1]! - this.offset[m]!;
      for (let n = m + 1; n < this.numMels && this.start[n]! < end; n++) band = Math.max(band, n - m);
    }
    return band;
  }

  /** Banded Cholesky of C^T C + ridge * mean(diag) I. */
  private factorize(ridge: number): Float64Array {
    const M = this.numMels, B = this.band, W = B + 1;
    let meanDiag = 0;
    for (let m = 0; m < M; m++) meanDiag += this.gram(m, m);
    const lambda = (ridge * meanDiag) / M;
    const L = new Float64Array(M * W);
    for (let i = 0; i < M; i++) {
      for (let j = Math.max(0, i - B); j <= i; j++) {
        let sum = this.gram(i, j) + (i === j ? lambda : 0);
        for (let k = Math.max(0, i - B, j - B); k < j; k++) sum -= L[i * W + (i - k)]! * L[j * W + (j - k)]!;
        if (i === j) L[i * W] = Math.sqrt(Math.max(sum, 1e-300));
        else L[i * W + (i - j)] = sum / L[j * W]!;
      }
    }
    return L;
  }

  /** Solves (C^T C + lambda I) z = y with the banded factor. */
  private solveBanded(y: Float64Array, z: Float64Array): void {
    const M = this.numMels, B = this.band, W = B + 1, L = this.chol;
    for (let i = 0; i < M; i++) {
      let s = y[i]!;
      for (let k = Math.max(0, i - B); k < i; k++) s -= L[i * W + (i - k)]! * z[k]!;
      z[i] = s / L[i * W]!;
    }
    for (let i = M - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k <= Math.min(M - 1, i + B); k++) s -= L[k * W + (k - i)]! * z[k]!;
      z[i] = s / L[i * W]!;
    }
  }
}

/** C[j][m] = sum_k F[k][m] hat((k - d j) / d): the fine bank seen through linear interpolation. */
function coarsenFilterBank(fine: MelFilterBank, d: number, numCoarse: number) {
  const start = new Int32Array(fine.numMels);
  const offset = new Int32Array(fine.numMels + 1);
  const weights: number[] = [];
  for (let m = 0; m < fine.numMels; m++) {
    const s = fine.start[m]!, n = fine.offset[m + 1]! - fine.offset[m]!;
    const j0 = Math.max(0, Math.floor(s / d));
    const j1 = Math.min(numCoarse - 1, Math.ceil((s + n - 1) / d));
    const row = new Float64Array(Math.max(0, j1 - j0 + 1));
    for (let i = 0; i < n; i++) {
      const k = s + i, w = fine.weights[fine.offset[m]! + i]!;
      const jl = Math.floor(k / d), frac = k / d - jl;
      if (jl - j0 >= 0 && jl - j0 < row.length) row[jl - j0]! += w * (1 - frac);
      if (frac > 0 && jl + 1 - j0 < row.length) row[jl + 1 - j0]! += w * frac;
    }
    start[m] = j0;
    offset[m] = weights.length;
    weights.push(...row);
  }
  offset[fine.numMels] = weights.length;
  return { start, offset, weights: Float64Array.from(weights) };
}
