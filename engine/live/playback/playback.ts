import { InstantChain } from './instantChain.js';

/** A segment as the playback sees it: loopable stereo audio and the tempo it was fitted to. */
export interface PlaybackSegment {
  readonly id: number;
  /** [left, right], equal lengths, one period of a loop */
  readonly audio: readonly [Float32Array, Float32Array];
  /** segments with the same audio share this id (audio copied to another thread keeps it) */
  readonly audioId: number;
  /** tempo it was fitted to (whole bars); null = free length */
  readonly fittedBpm: number | null;
}

/** When a queued segment starts: at the end of the one before it, or at an output frame. */
export type StartAt = { readonly kind: 'boundary' } | { readonly kind: 'frame'; readonly frame: number };

/** Something the playback does at an exact output frame (what sessions record and rehearse replays). */
export type PlaybackOp =
  | { readonly kind: 'instant'; readonly gain?: number; readonly filter?: number }
  | { readonly kind: 'freeze'; readonly on: boolean }
  | { readonly kind: 'tempo'; readonly bpm: number }
  /** play `frames` extra source frames (negative: fewer) by bending the rate: a nudge */
  | { readonly kind: 'bend'; readonly frames: number };

/** What happened at a frame during a fill, for the engine (dispatched after the chunk). */
export type PlaybackNote =
  | { readonly type: 'started'; readonly frame: number; readonly segmentId: number; readonly repeat: boolean;
      /** repeat because nothing was queued (the next segment is late) */
      readonly late: boolean; readonly frozen: boolean }
  | { readonly type: 'applied'; readonly frame: number; readonly op: PlaybackOp; readonly tag: number };

export interface PlaybackOptions {
  readonly sampleRate: number;
  /** equal-power crossfade between segments, frames (default 2048, 46 ms at 44.1 kHz) */
  readonly crossfadeFrames?: number;
}

/** Playback rates further than this from 1 are not used: such segments are re-fitted instead. */
export { RETIME_TOLERANCE } from '../../clock/tempoChangeKind.js';
import { RETIME_TOLERANCE } from '../../clock/tempoChangeKind.js';
/** A nudge bends the rate by at most this much (a DJ's pitch-bend button). */
const BEND_RATE = 0.08;

interface Queued { readonly segment: PlaybackSegment; readonly at: StartAt }
interface TimedOp { readonly frame: number; readonly op: PlaybackOp; readonly tag: number }

/**
 * The realtime core of a show: plays segments back to back with equal-power crossfades, starts a
 * queued segment at an exact output frame (a quantised change: the outgoing segment continues
 * under the fade from where it was), loops the current segment when nothing is ready or while
 * frozen (never silent once started), retimes fitted segments to the transport's tempo within
 * ±2 % (fractional rate, linear interpolation; rate 1 reads samples exactly), and runs the
 * instant chain (DJ filter, gain) over every chunk. Pure: no I/O, no clocks; whoever calls
 * `fill` owns time. Allocates nothing per sample. The same core runs in the audio thread for a
 * sound card and inline for files and tests, so a session rehearses sample for sample.
 */
export class Playback {
  readonly sampleRate: number;
  readonly crossfadeFrames: number;
  private readonly chain: InstantChain;
  private readonly fadeCos: Float32Array;
  private readonly fadeSin: Float32Array;
  private current: PlaybackSegment | undefined;
  private position = 0;
  private rate = 1;
  private outgoing: PlaybackSegment | undefined;
  private outgoingPosition = 0;
  private outgoingRate = 1;
  private fadeLeft = 0;
  private queue: Queued[] = [];
  private ops: TimedOp[] = [];
  private tempoBpm: number | null = null;
  private bendLeft = 0;
  private frozen = false;
  private ended = false;
  private filled = 0;
  /** what happened during the last fill; the caller takes them */
  notes: PlaybackNote[] = [];

  constructor(options: PlaybackOptions) {
    this.sampleRate = options.sampleRate;
    this.crossfadeFrames = options.crossfadeFrames ?? 2048;
    this.chain = new InstantChain({ sampleRate: options.sampleRate, channels: 2 });
    this.fadeCos = new Float32Array(this.crossfadeFrames);
    this.fadeSin = new Float32Array(this.crossfadeFrames);
    for (let i = 0; i < this.crossfadeFrames; i++) {
      const theta = ((i + 0.5) / this.crossfadeFrames) * (Math.PI / 2);
      this.fadeCos[i] = Math.cos(theta);
      this.fadeSin[i] = Math.sin(theta);
    }
  }

  /** the output frame of the next sample to be filled (frames filled so far) */
  get frame(): number { return this.filled; }
  /** Output frames one period of `segment` lasts at the current tempo. */
  framesOf(segment: PlaybackSegment): number {
    return Math.round(segment.audio[0].length / this.rateOf(segment));
  }

  /**
   * Queue a segment. `replace` drops everything queued before (a newer change supersedes them)
   * and returns their ids. A frame already past starts at the next fill.
   */
  enqueue(segment: PlaybackSegment, at: StartAt, replace = false): number[] {
    const dropped = replace ? this.queue.map((q) => q.segment.id) : [];
    if (replace) this.queue = [];
    this.queue.push({ segment, at });
    return dropped;
  }

  /** Apply `op` when the fill reaches `frame` (now if it has); `tag` comes back in its note. */
  at(frame: number, op: PlaybackOp, tag = 0): void {
    let i = this.ops.length;
    while (i > 0 && this.ops[i - 1]!.frame > frame) i--;
    this.ops.splice(i, 0, { frame, op, tag });
  }

  /**
   * Applies the ops whose frame the fill has reached, then drops them in one pass (shift() per op
   * is quadratic when a flood of controls queues thousands at once).
   */
  private applyDueOps(): void {
    let due = 0;
    while (due < this.ops.length && this.ops[due]!.frame <= this.filled) this.apply(this.ops[due++]!);
    if (due === 0) return;
    for (let i = due; i < this.ops.length; i++) this.ops[i - due] = this.ops[i]!;
    this.ops.length -= due;
  }

  /** No more segments will come: when the queue runs dry the last one ends in silence. */
  end(): void {
    this.ended = true;
  }

  /** Fills `chunk` (interleaved L R, `frames` frames), applying ops at their exact frames. */
  fill(chunk: Float32Array, frames: number): void {
    let done = 0;
    while (done < frames) {
      this.applyDueOps();
      const nextOp = this.ops.length > 0 ? this.ops[0]!.frame - this.filled : Infinity;
      const span = Math.min(frames - done, nextOp);
      this.render(chunk, done, span);
      this.chain.process(chunk.subarray(2 * done, 2 * (done + span)), span);
      done += span;
    }
  }

  private apply(t: TimedOp): void {
    const { op } = t;
    switch (op.kind) {
      case 'instant': this.chain.set(op); break;
      case 'freeze': this.frozen = op.on; break;
      case 'tempo':
        this.tempoBpm = op.bpm;
        if (this.current) this.rate = this.rateOf(this.current);
        if (this.outgoing) this.outgoingRate = this.rateOf(this.outgoing);
        break;
      case 'bend': this.bendLeft += op.frames; break;
    }
    this.notes.push({ type: 'applied', frame: this.filled, op, tag: t.tag });
  }

  private rateOf(segment: PlaybackSegment): number {
    if (segment.fittedBpm === null || this.tempoBpm === null) return 1;
    const r = this.tempoBpm / segment.fittedBpm;
    return Math.abs(r - 1) <= RETIME_TOLERANCE + 1e-9 ? r : 1;
  }

  private render(chunk: Float32Array, offset: number, frames: number): void {
    for (let f = offset; f < offset + frames; f++) {
      const head = this.queue[0];
      if (!this.frozen && head && head.at.kind === 'frame' && head.at.frame <= this.filled) this.start(false);
      else if (this.current && this.position >= this.current.audio[0].length) this.boundary();
      else if (!this.current && head && head.at.kind === 'boundary' && !this.frozen) this.start(false);
      const seg = this.current;
      if (!seg) {
        chunk[2 * f] = 0;
        chunk[2 * f + 1] = 0;
        this.filled++;
        continue;
      }
      let l = sample(seg.audio[0], this.position), r = sample(seg.audio[1], this.position);
      if (this.fadeLeft > 0 && this.outgoing) {
        const k = this.crossfadeFrames - this.fadeLeft;
        const out = this.outgoing;
        l = l * this.fadeSin[k]! + sample(out.audio[0], this.outgoingPosition) * this.fadeCos[k]!;
        r = r * this.fadeSin[k]! + sample(out.audio[1], this.outgoingPosition) * this.fadeCos[k]!;
        this.outgoingPosition += this.outgoingRate;
        if (this.outgoingPosition >= out.audio[0].length) this.outgoingPosition -= out.audio[0].length;
        this.fadeLeft--;
      }
      chunk[2 * f] = l;
      chunk[2 * f + 1] = r;
      this.position += this.rate + this.bendStep();
      this.filled++;
    }
  }

  private bendStep(): number {
    if (this.bendLeft === 0) return 0;
    const step = Math.sign(this.bendLeft) * Math.min(BEND_RATE, Math.abs(this.bendLeft));
    this.bendLeft -= step;
    if (Math.abs(this.bendLeft) < 1e-9) this.bendLeft = 0;
    return step;
  }

  /** The current segment reached its end. */
  private boundary(): void {
    const head = this.queue[0];
    if (!this.frozen && head && head.at.kind === 'boundary') {
      this.start(true);
    } else if (this.ended && !head && !this.frozen) {
      this.current = undefined;
    } else {
      // loop: frozen, waiting for a quantised start, or the next one is late
      this.position -= this.current!.audio[0].length;
      this.notes.push({ type: 'started', frame: this.filled, segmentId: this.current!.id, repeat: true, late: !head && !this.frozen, frozen: this.frozen });
    }
  }

  /** Start the queue's head, fading the current one out from where it is (its loop continues). */
  private start(atBoundary: boolean): void {
    const next = this.queue.shift()!.segment;
    const prev = this.current;
    const same = prev !== undefined && next.audioId === prev.audioId;
    // the same audio again (an unchanged imprint) continues seamlessly: no crossfade with itself
    if (prev && !same) {
      this.outgoing = prev;
      this.outgoingRate = this.rate;
      const len = prev.audio[0].length;
      this.outgoingPosition = atBoundary ? this.position - len : this.position % len;
      this.fadeLeft = Math.min(this.crossfadeFrames, next.audio[0].length);
    }
    this.current = next;
    this.rate = this.rateOf(next);
    // the same audio continues where it is (wrapped at its end); new audio starts from its beginning
    if (!same) this.position = 0;
    else if (this.position >= next.audio[0].length) this.position -= next.audio[0].length;
    this.notes.push({ type: 'started', frame: this.filled, segmentId: next.id, repeat: false, late: false, frozen: false });
  }
}

/** Linear interpolation at a fractional position, wrapping to the loop start (exact at whole positions). */
function sample(x: Float32Array, position: number): number {
  const i = Math.floor(position);
  const frac = position - i;
  const a = x[i % x.length]!;
  if (frac === 0) return a;
  return a + (x[(i + 1) % x.length]! - a) * frac;
}
