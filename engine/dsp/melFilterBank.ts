/**
 * Triangular mel filter bank, matching torchaudio `melscale_fbanks` (checked against torchaudio 2.x
 * semantics): frequency bins linspace(0, sr/2, numBins); numMels + 2 points linear in mel between
 * minFrequency and maxFrequency; filter m is the unit-peak triangle over points m, m+1, m+2; no area
 * normalisation. Stored sparsely: the filters are narrow, and the dense 8821 x 512 matrix is 36 MB.
 */
export interface MelFilterBank {
  readonly numBins: number;
  readonly numMels: number;
  /** first bin with a non-zero weight, per mel */
  readonly start: Int32Array;
  /** offsets into `weights` per mel (length numMels + 1) */
  readonly offset: Int32Array;
  readonly weights: Float64Array;
}

export type MelScale = 'htk' | 'slaney';

export function hzToMel(f: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + f / 700);
  const fSp = 200 / 3, minLogHz = 1000, minLogMel = minLogHz / fSp, logStep = Math.log(6.4) / 27;
  return f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logStep : f / fSp;
}

export function melToHz(m: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 700 * (10 ** (m / 2595) - 1);
  const fSp = 200 / 3, minLogHz = 1000, minLogMel = minLogHz / fSp, logStep = Math.log(6.4) / 27;
  return m >= minLogMel ? minLogHz * Math.exp(logStep * (m - minLogMel)) : fSp * m;
}

export function melFilterBank(numBins: number, numMels: number, minFrequency: number, maxFrequency: number,
  sampleRate: number, options: { melScale?: MelScale } = {}): MelFilterBank {
  const scale = options.melScale ?? 'htk';
  const mMin = hzToMel(minFrequency, scale);
  const mMax = hzToMel(maxFrequency, scale);
  const fPts = new Float64Array(numMels + 2);
  for (let i = 0; i < numMels + 2; i++) fPts[i] = melToHz(mMin + ((mMax - mMin) * i) / (numMels + 1), scale);
  const binHz = (k: number) => ((sampleRate / 2) * k) / (numBins - 1);
  const start = new Int32Array(numMels);
  const offset = new Int32Array(numMels + 1);
  const weights: number[] = [];
  for (let m = 0; m < numMels; m++) {
    const lo = fPts[m]!, mid = fPts[m + 1]!, hi = fPts[m + 2]!;
    const first = Math.max(0, Math.ceil((lo / (sampleRate / 2)) * (numBins - 1)) - 1);
    let k = first;
    let firstNonZero = -1;
    const row: number[] = [];
    for (; k < numBins && binHz(k) <= hi + 1e-9; k++) {
      const f = binHz(k);
      // torchaudio: down = (f - lo) / (mid - lo), up = (hi - f) / (hi - mid)
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      if (w > 0) {
        if (firstNonZero < 0) firstNonZero = k;
        row.push(w);
      } else if (firstNonZero >= 0) {
        break;
      }
    }
    start[m] = firstNonZero < 0 ? 0 : firstNonZero;
    offset[m] = weights.length;
    weights.push(...row);
  }
  offset[numMels] = weights.length;
  return { numBins, numMels, start, offset, weights: Float64Array.from(weights) };
}

/** mel[m] = sum_k fb[k, m] * spectrum[k] */
export function applyFilterBank(fb: MelFilterBank, spectrum: ArrayLike<number>, out: Float64Array | Float32Array, outStride = 1, outOffset = 0): void {
  for (let m = 0; m < fb.numMels; m++) {
    let acc = 0;
    const s = fb.start[m]!;
    for (let i = fb.offset[m]!, k = s; i < fb.offset[m + 1]!; i++, k++) acc += fb.weights[i]! * spectrum[k]!;
    out[outOffset + m * outStride] = acc;
  }
}
