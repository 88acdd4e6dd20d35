import type { GriffinLimChannel, GriffinLimGeometry } from './griffinLim.js';
import { BucketQueue } from './bucketQueue.js';

/**
 * Phase Gradient Heuristic Integration (Prusa, Balazs & Sondergaard 2017, "A noniterative method
 * for reconstruction of phase from STFT magnitude"): a starting phase for Griffin-Lim that is
 * already close, so a handful of iterations does the work of dozens from zero or random phase.
 *
 * For a Gaussian window exp(-pi t^2 / lambda) (Hann of length W: lambda = 0.25645 W^2), with
 * s = ln|X| and phases relative to the frame centre, forward DFT e^(-2 pi i k n / F):
 *   instantaneous frequency (bins):   k_inst = k + F^2 / (2 pi lambda) * ds/dk
 *   phase advance per frame:          dphi/dn = 2 pi hop k_inst / F
 *   phase slope across bins:          dphi/dk = -lambda / (F hop) * ds/dn
 * Phases are integrated with the trapezoid rule from the loudest bin outwards (a max-heap), so
 * the most reliable estimates propagate first (to a fraction of a dB: see BucketQueue). Locked frames seed the integration with their
 * known phases: that is what keeps the phase continuous from one segment to the next.
 */
export function phaseGradientInitialize(ch: GriffinLimChannel, g: GriffinLimGeometry,
  options: { tolerance?: number; scratch?: PhaseGradientScratch } = {}): void {
  // Work on the active bins only (T x K grid); bins above are silent and keep a zero spectrum.
  const T = g.numFrames, K = g.activeBins, stride = g.bins, F = g.fftSize, hop = g.hopLength;
  const lambda = 0.25645 * g.windowLength * g.windowLength;
  const scratch = options.scratch ?? new PhaseGradientScratch();
  scratch.ensure(T * K);
  const { logMag, dPhiDn, dPhiDk, phase, done } = scratch;
  let maxLog = -Infinity;
  for (let n = 0; n < T; n++) {
    for (let k = 0; k < K; k++) {
      const v = Math.log(ch.magnitude[n * stride + k]! + 1e-30);
      logMag[n * K + k] = v;
      if (v > maxLog) maxLog = v;
    }
  }
  const threshold = maxLog + Math.log(options.tolerance ?? 1e-3);
  const frameOf = (n: number) => (g.circular ? ((n % T) + T) % T : n);
  const inRange = (n: number) => g.circular || (n >= 0 && n < T);

  // dphi/dn and dphi/dk per bin, from centred differences of the log magnitude
  const fScale = (F * F) / (2 * Math.PI * lambda);
  const tScale = -lambda / (F * hop);
  for (let n = 0; n < T; n++) {
    const prev = inRange(n - 1) ? frameOf(n - 1) : n;
    const next = inRange(n + 1) ? frameOf(n + 1) : n;
    const span = (next === n ? 0 : 1) + (prev === n ? 0 : 1) || 1;
    for (let k = 0; k < K; k++) {
      const i = n * K + k;
      const dk = k === 0 || k === K - 1 ? 0 : (logMag[i + 1]! - logMag[i - 1]!) / 2;
      const dn = (logMag[next * K + k]! - logMag[prev * K + k]!) / span;
      dPhiDn[i] = (2 * Math.PI * hop * (k + fScale * dk)) / F;
      dPhiDk[i] = tScale * dn;
    }
  }

  phase.fill(0, 0, T * K);
  done.fill(0, 0, T * K);
  // each bin is pushed at most once, so ids double as list nodes
  const heap = new BucketQueue(scratch.queueNext, threshold, maxLog);
  for (let n = 0; n < T; n++) {
    for (let k = 0; k < K; k++) {
      const i = n * K + k;
      if (ch.locked[n]) {
        // stored spectra use the frame-start origin: X_centre[k] = X[k] (-1)^k
        const sign = k % 2 === 0 ? 1 : -1;
        phase[i] = Math.atan2(sign * ch.specIm[n * stride + k]!, sign * ch.specRe[n * stride + k]!);
        done[i] = 1;
        if (logMag[i]! > threshold) heap.push(i, logMag[i]!);
      } else if (logMag[i]! <= threshold) {
        done[i] = 1; // too quiet to carry phase information
      }
    }
  }

  // Locked frames' phases propagate first; then every untouched island starts, loudest first, at 0.
  // frame neighbours, -1 where there is none (the ends of a non-circular signal)
  const nextFrame = new Int32Array(T), prevFrame = new Int32Array(T);
  for (let n = 0; n < T; n++) {
    nextFrame[n] = inRange(n + 1) ? frameOf(n + 1) : -1;
    prevFrame[n] = inRange(n - 1) ? frameOf(n - 1) : -1;
  }
  const visit = (from: number, to: number, delta: number) => {
    phase[to] = phase[from]! + delta;
    done[to] = 1;
    heap.push(to, logMag[to]!);
  };
  const propagate = () => {
    while (heap.size > 0) {
      const from = heap.pop();
      const n = (from / K) | 0, k = from - n * K;
      const dn = dPhiDn[from]!, dk = dPhiDk[from]!;
      const nn = nextFrame[n]!, pn = prevFrame[n]!;
      if (nn >= 0) { const to = nn * K + k; if (!done[to]) visit(from, to, (dn + dPhiDn[to]!) / 2); }
      if (pn >= 0) { const to = pn * K + k; if (!done[to]) visit(from, to, -(dn + dPhiDn[to]!) / 2); }
      if (k + 1 < K && !done[from + 1]) visit(from, from + 1, (dk + dPhiDk[from + 1]!) / 2);
      if (k > 0 && !done[from - 1]) visit(from, from - 1, -(dk + dPhiDk[from - 1]!) / 2);
    }
  };
  propagate();
  const order = sortedByMagnitude(logMag, done, T * K);
  for (const start of order) {
    if (done[start]) continue;
    phase[start] = 0;
    done[start] = 1;
    heap.push(start, logMag[start]!);
    propagate();
  }

  for (let n = 0; n < T; n++) {
    if (ch.locked[n]) continue;
    const base = n * stride;
    for (let k = 0; k < K; k++) {
      const a = ch.magnitude[base + k]! * (k % 2 === 0 ? 1 : -1);
      const phi = phase[n * K + k]!;
      if (phi === 0) {
        ch.specRe[base + k] = a;
        ch.specIm[base + k] = 0;
      } else {
        ch.specRe[base + k] = a * Math.cos(phi);
        ch.specIm[base + k] = a * Math.sin(phi);
      }
    }
    ch.specRe.fill(0, base + K, base + stride);
    ch.specIm.fill(0, base + K, base + stride);
    ch.prevRe.fill(0, base, base + stride);
    ch.prevIm.fill(0, base, base + stride);
  }
}

/** Undone bins, loudest first, by a counting sort on the quantised log magnitude (order only guides island starts). */
function sortedByMagnitude(logMag: Float32Array, done: Uint8Array, size: number): Uint32Array {
  const BUCKETS = 4096;
  let lo = Infinity, hi = -Infinity, count = 0;
  for (let i = 0; i < size; i++) {
    if (done[i]) continue;
    count++;
    const v = logMag[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? (BUCKETS - 1) / (hi - lo) : 0;
  const starts = new Uint32Array(BUCKETS + 1);
  for (let i = 0; i < size; i++) if (!done[i]) starts[BUCKETS - 1 - Math.floor((logMag[i]! - lo) * scale) + 1]!++;
  for (let b = 0; b < BUCKETS; b++) starts[b + 1]! += starts[b]!;
  const idx = new Uint32Array(count);
  for (let i = 0; i < size; i++) if (!done[i]) idx[starts[BUCKETS - 1 - Math.floor((logMag[i]! - lo) * scale)]!++] = i;
  return idx;
}

/**
 * Working arrays for phaseGradientInitialize, kept between calls so a stream of chunks does not
 * churn tens of megabytes of garbage per chunk. Grow-only.
 */
export class PhaseGradientScratch {
  logMag = new Float32Array(0);
  dPhiDn = new Float32Array(0);
  dPhiDk = new Float32Array(0);
  phase = new Float64Array(0);
  done = new Uint8Array(0);
  queueNext = new Int32Array(0);

  ensure(size: number): void {
    if (this.logMag.length >= size) return;
    this.logMag = new Float32Array(size);
    this.dPhiDn = new Float32Array(size);
    this.dPhiDk = new Float32Array(size);
    this.phase = new Float64Array(size);
    this.done = new Uint8Array(size);
    this.queueNext = new Int32Array(size);
  }
}
