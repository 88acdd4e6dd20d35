/**
 * Fitting a loop to the master tempo: a loop of `frames` samples becomes a whole number of bars
 * (at least one) at `bpm`, 4 beats a bar. The time axis of the spectrogram is resampled before
 * phase reconstruction, so tempo changes and pitch does not; the last fraction of a column is then
 * taken up by stretching the audio by at most half a column, so segments are bar-exact to the
 * sample.
 */
export interface TempoFit {
  readonly bars: number;
  /** spectrogram columns after fitting */
  readonly columns: number;
  /** exact length in samples: bars * 4 * 60 / bpm * sampleRate, rounded */
  readonly samples: number;
}

export function fitToBars(columns: number, hop: number, sampleRate: number, bpm: number, beatsPerBar = 4): TempoFit {
  const barSamples = (beatsPerBar * 60 * sampleRate) / bpm;
  const bars = Math.max(1, Math.round((columns * hop) / barSamples));
  const samples = Math.round(bars * barSamples);
  return { bars, columns: Math.max(1, Math.round(samples / hop)), samples };
}

/**
 * Columns resampled circularly along time by linear interpolation (the spectrogram is one period
 * of a loop): [row * from + x] -> [row * to + x].
 */
export function resampleColumns(mel: Float32Array, rows: number, from: number, to: number): Float32Array {
  if (from === to) return mel;
  const out = new Float32Array(rows * to);
  for (let x = 0; x < to; x++) {
    const pos = (x * from) / to;
    const i0 = Math.floor(pos), frac = pos - i0, i1 = (i0 + 1) % from;
    for (let r = 0; r < rows; r++) out[r * to + x] = mel[r * from + i0]! * (1 - frac) + mel[r * from + i1]! * frac;
  }
  return out;
}

/** A loop stretched to exactly `length` samples (cubic Hermite, circular): for tiny ratios only. */
export function stretchLoop(x: Float32Array, length: number): Float32Array {
  const n = x.length;
  if (n === length) return x;
  const out = new Float32Array(length);
  const at = (i: number) => x[((i % n) + n) % n]!;
  for (let k = 0; k < length; k++) {
    const pos = (k * n) / length;
    const i = Math.floor(pos), t = pos - i;
    const p0 = at(i - 1), p1 = at(i), p2 = at(i + 1), p3 = at(i + 2);
    // Catmull-Rom
    out[k] = p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
  }
  return out;
}
