import { type GriffinLimChannel, type GriffinLimGeometry, allocateChannel, griffinLimGeometry } from '../dsp/griffinLim.js';
import { hannWindow } from '../dsp/window.js';
import { type SpectrogramParams, frameSizes, reconstructionFftSize } from '../spectrogram/params.js';
import type { ReconstructionPool } from './reconstructionPool.js';
import { joinMelColumns, sliceMelColumns } from './melColumns.js';
import { type PhaseOptions, resolvePhaseOptions } from './phaseOptions.js';

export interface StreamingOptions extends PhaseOptions {
  /** frames re-solved with the next chunk, inside which the splice falls (default 32) */
  readonly overlapColumns?: number;
  /** final frames held fixed at the start of each solve, so phase runs on continuously (default 16) */
  readonly lockColumns?: number;
}

interface Tail {
  /** per channel: [lock + overlap frames] spectra, magnitudes and windowed frames */
  readonly specRe: Float32Array[];
  readonly specIm: Float32Array[];
  readonly magnitude: Float32Array[];
  readonly frames: Float32Array[];
  /** mel columns of the provisional frames, per channel */
  readonly mel: Float32Array[];
  readonly lock: number;
  readonly overlap: number;
}

/**
 * Mel columns in, audio out, for pieces of any length and for streams of segments.
 *
 * Each push is solved together with the end of the previous one: `lock` frames whose phase is
 * final and held fixed (so the phase runs on without a jump), then `overlap` provisional frames
 * that are solved again now that their right-hand neighbours exist. The new and old solutions are
 * spliced at the overlap frame where they differ least (SyDNEy's wavcat idea, applied to complex
 * spectra). Only frames that no later push can change are overlap-added, so memory stays
 * proportional to one chunk whatever the length (a 60 s image never sits in memory as STFT).
 *
 * Sample 0 of the output is the centre of the first frame, as in Riffusion (torch.istft, center).
 */
export class StreamingReconstructor {
  readonly channelCount: number;
  private readonly params: SpectrogramParams;
  private readonly pool: ReconstructionPool;
  private readonly opts: Required<PhaseOptions> & { overlapColumns: number; lockColumns: number };
  private readonly hop: number;
  private readonly win: number;
  private readonly window2: Float64Array;
  private tail: Tail | undefined;
  private framesFinal = 0;
  /** overlap-add accumulator in signal coordinates, from sample `accStart` */
  private acc: Float64Array[];
  private accStart = 0;
  private emittedUpTo: number;
  private cached: { capacity: number; channels: GriffinLimChannel[] } | undefined;

  constructor(channelCount: number, params: SpectrogramParams, pool: ReconstructionPool, options: StreamingOptions = {}) {
    this.channelCount = channelCount;
    this.params = params;
    this.pool = pool;
    this.opts = {
      ...resolvePhaseOptions(options),
      overlapColumns: options.overlapColumns ?? 32,
      lockColumns: options.lockColumns ?? 16,
    };
    const { hopLength, winLength } = frameSizes(params);
    this.hop = hopLength;
    this.win = winLength;
    const w = hannWindow(winLength);
    this.window2 = w.map((v) => v * v);
    this.acc = Array.from({ length: channelCount }, () => new Float64Array(0));
    this.emittedUpTo = winLength >> 1;
  }

  /**
   * Solves `numColumns` more columns (mel[c][m * numColumns + col]) and returns the samples that are
   * now final. Fewer samples than hop * numColumns come back: the rest follow with the next push.
   */
  async push(mel: Float32Array[], numColumns: number): Promise<Float32Array[]> {
    if (mel.length !== this.channelCount) throw new Error(`expected ${this.channelCount} channels, got ${mel.length}`);
    if (numColumns <= 0) return this.emit(this.framesFinal * this.hop);
    const M = this.params.numFrequencies;
    const tail = this.tail;
    const lock = tail?.lock ?? 0, overlap = tail?.overlap ?? 0;
    const melColumns = overlap + numColumns;
    const melIn = mel.map((m, c) => (tail ? joinMelColumns(tail.mel[c]!, overlap, m, numColumns, M) : m));
    const T = lock + melColumns;
    const { geometry: g, channels } = this.buffers(T);
    channels.forEach((ch, c) => {
      ch.locked.fill(0);
      if (!tail) return;
      ch.locked.fill(1, 0, lock);
      const n = lock * g.bins;
      ch.specRe.set(tail.specRe[c]!.subarray(0, n));
      ch.specIm.set(tail.specIm[c]!.subarray(0, n));
      ch.magnitude.set(tail.magnitude[c]!.subarray(0, n));
    });
    await this.pool.solve({
      params: this.params, geometry: g, melColumns, melStart: 0, lockedFrames: lock,
      channels: channels.map((gl, c) => ({ gl, mel: melIn[c]! })),
      init: this.opts.init, iterations: this.opts.iterations, momentum: this.opts.momentum, seed: this.opts.seed,
    });

    // Frames before `splice` (relative to the provisional region) keep the old solution.
    const splice = tail ? this.leastDifferent(tail, channels, g) : 0;
    const firstNew = this.framesFinal - lock; // absolute index of solve frame 0
    if (tail) for (let j = 0; j < splice; j++) this.addFrame(this.framesFinal + j, tail.frames, lock + j);
    const keep = Math.min(this.opts.overlapColumns, numColumns);
    const finalEnd = T - keep;
    for (let t = lock + splice; t < finalEnd; t++) this.addFrameFrom(firstNew + t, channels, t);
    this.framesFinal = firstNew + finalEnd;
    this.tail = this.makeTail(channels, g, melIn, melColumns, T, keep);
    return this.emit(this.framesFinal * this.hop);
  }

  /** Finishes the stream: the provisional frames become final and the last samples come out. */
  flush(): Float32Array[] {
    const tail = this.tail;
    if (!tail) return this.emit(this.emittedUpTo);
    for (let j = 0; j < tail.overlap; j++) this.addFrame(this.framesFinal + j, tail.frames, tail.lock + j);
    const totalFrames = this.framesFinal + tail.overlap;
    this.tail = undefined;
    this.framesFinal = totalFrames;
    // Riffusion's length: hop * (frames - 1) samples after the first frame's centre
    return this.emit((this.win >> 1) + this.hop * (totalFrames - 1), totalFrames);
  }

  /** Problem buffers for T frames; they only ever grow, so a stream of equal chunks allocates once. */
  private buffers(T: number) {
    const { hopLength, winLength } = frameSizes(this.params);
    const fft = reconstructionFftSize(this.params);
    // Bins past the top mel filter are always zero; the solver skips them.
    const maxBin = Math.ceil((this.params.maxFrequency / (this.params.sampleRate / 2)) * (fft / 2)) + 2;
    const geometry = griffinLimGeometry(T, fft, winLength, hopLength, { activeBins: maxBin });
    if (!this.cached || this.cached.capacity < T) {
      this.cached = { capacity: T, channels: Array.from({ length: this.channelCount }, () => allocateChannel(geometry, true)) };
    }
    return { geometry, channels: this.cached.channels };
  }

  private leastDifferent(tail: Tail, channels: GriffinLimChannel[], g: GriffinLimGeometry): number {
    let best = 0, bestCost = Infinity;
    for (let j = 0; j < tail.overlap; j++) {
      let cost = 0;
      channels.forEach((ch, c) => {
        const oldBase = (tail.lock + j) * g.bins, newBase = (tail.lock + j) * g.bins;
        for (let k = 0; k < g.activeBins; k++) {
          cost += Math.hypot(tail.specRe[c]![oldBase + k]! - ch.specRe[newBase + k]!, tail.specIm[c]![oldBase + k]! - ch.specIm[newBase + k]!);
        }
      });
      if (cost < bestCost) { bestCost = cost; best = j; }
    }
    return best;
  }

  private makeTail(channels: GriffinLimChannel[], g: GriffinLimGeometry, melIn: Float32Array[], melColumns: number, T: number, keep: number): Tail {
    const lock = Math.min(this.opts.lockColumns, T - keep);
    const first = T - keep - lock;
    const M = this.params.numFrequencies;
    // reuse the previous tail's arrays when they are big enough: a long stream allocates them once
    const old = this.tail;
    const cut = (a: Float32Array, width: number, reuse: Float32Array | undefined) => {
      const n = (T - first) * width;
      const out = reuse && reuse.length === n ? reuse : new Float32Array(n);
      out.set(a.subarray(first * width, T * width));
      return out;
    };
    return {
      specRe: channels.map((ch, c) => cut(ch.specRe, g.bins, old?.specRe[c])),
      specIm: channels.map((ch, c) => cut(ch.specIm, g.bins, old?.specIm[c])),
      magnitude: channels.map((ch, c) => cut(ch.magnitude, g.bins, old?.magnitude[c])),
      frames: channels.map((ch, c) => cut(ch.frames, g.windowLength, old?.frames[c])),
      mel: melIn.map((m) => sliceMelColumns(m, melColumns, melColumns - keep, melColumns, M)),
      lock,
      overlap: keep,
    };
  }

  private addFrameFrom(absFrame: number, channels: GriffinLimChannel[], t: number): void {
    this.addFrame(absFrame, channels.map((ch) => ch.frames), t);
  }

  /** Overlap-adds windowed frame `t` of `frames[c]` at absolute frame position `absFrame`. */
  private addFrame(absFrame: number, frames: Float32Array[], t: number): void {
    const start = absFrame * this.hop;
    this.ensure(start + this.win);
    for (let c = 0; c < this.channelCount; c++) {
      const acc = this.acc[c]!, src = frames[c]!, off = start - this.accStart, base = t * this.win;
      for (let m = 0; m < this.win; m++) acc[off + m]! += src[base + m]!;
    }
  }

  private ensure(end: number): void {
    const need = end - this.accStart;
    if (this.acc[0]!.length >= need) return;
    this.acc = this.acc.map((a) => {
      const grown = new Float64Array(Math.max(need, 2 * a.length));
      grown.set(a);
      return grown;
    });
  }

  /**
   * Returns samples [emittedUpTo, upTo) (signal coordinates), normalised by the window envelope of
   * the frames [0, totalFrames) (all frames so far, unless the stream is ending).
   */
  private emit(upTo: number, totalFrames = Number.POSITIVE_INFINITY): Float32Array[] {
    const from = this.emittedUpTo;
    const n = Math.max(0, upTo - from);
    this.ensure(upTo);
    const out = this.acc.map((acc) => {
      const o = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const env = this.envelope(from + i, totalFrames);
        o[i] = env > 1e-8 ? acc[from + i - this.accStart]! / env : 0;
      }
      return o;
    });
    this.emittedUpTo = from + n;
    // drop what has been emitted, keeping the accumulator one chunk long
    const drop = this.emittedUpTo - this.accStart;
    if (drop > 4 * this.win) {
      for (const a of this.acc) {
        a.copyWithin(0, drop);
        a.fill(0, a.length - drop);
      }
      this.accStart += drop;
    }
    return out;
  }

  private envelope(i: number, totalFrames: number): number {
    let env = 0;
    const top = Math.min(Math.floor(i / this.hop), totalFrames - 1);
    for (let f = top, m = i - top * this.hop; f >= 0 && m < this.win; f--, m += this.hop) env += this.window2[m]!;
    return env;
  }
}
