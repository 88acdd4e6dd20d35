import type { Beats, BPM, Hertz, Samples } from './units.js';

/** From `frame` on, beats advance linearly from `beat` at `bpm` (until the next segment). */
export interface TempoSegment {
  readonly frame: Samples;
  readonly beat: Beats;
  readonly bpm: BPM;
}

/** A boundary of the beat grid: the frame it falls on (integer) and its beat number. */
export interface GridCrossing {
  readonly frame: Samples;
  readonly beat: Beats;
}

/** Most tempo segments kept; older ones are dropped and the oldest kept one extends backwards. */
export const MAX_TEMPO_SEGMENTS = 64;

/**
 * The piecewise-linear map from output frames to absolute beats behind `Transport`.
 *
 * Each segment is an anchor (frame, beat, bpm); beats at a frame are computed from the anchor of
 * the segment holding it, never accumulated, so there is no drift. The first segment also covers
 * all earlier frames. A segment may start with a jump (a nudge), so the map can skip or repeat
 * beats. The map trusts its arguments; `Transport` validates them.
 *
 * @example
 * ```ts
 * const map = new TempoMap(44100, 120);
 * map.beatAt(22050); // 1
 * ```
 */
export class TempoMap {
  private segs: TempoSegment[];

  /**
   * @param sampleRate frames per second (Hz)
   * @param bpm tempo from frame 0, where beat 0 falls
   */
  constructor(
    readonly sampleRate: Hertz,
    bpm: BPM,
  ) {
    this.segs = [{ frame: 0, beat: 0, bpm }];
  }

  /** The segments, oldest first (read-only view). */
  get segments(): readonly TempoSegment[] {
    return this.segs;
  }

  /** Tempo (BPM) of the latest segment: the tempo from the last change on. */
  get bpm(): BPM {
    return this.segs[this.segs.length - 1]!.bpm;
  }

  /** Tempo (BPM) in effect at `frame`. */
  bpmAt(frame: Samples): BPM {
    return this.segs[this.indexAt(frame)]!.bpm;
  }

  /** Absolute beats (float) at `frame`. */
  beatAt(frame: Samples): Beats {
    return this.beatIn(this.segs[this.indexAt(frame)]!, frame);
  }

  /**
   * The frame (float) at which the grid is at `beat`: its last occurrence when a backward nudge
   * repeats beats, and the frame of the jump when a forward nudge skipped it.
   */
  frameOfBeat(beat: Beats): Samples {
    for (let i = this.segs.length - 1; i >= 0; i--) {
      const s = this.segs[i]!;
      if (beat < s.beat && i > 0) continue;
      const next = this.segs[i + 1];
      if (next && beat >= this.beatIn(s, next.frame)) return next.frame;
      return this.frameIn(s, beat);
    }
    return this.frameIn(this.segs[0]!, beat); // unreachable: i = 0 always returns
  }

  /** From `frame` on the tempo is `bpm`, beats continuous there; later segments are dropped. */
  setTempo(bpm: BPM, frame: Samples): void {
    const beat = this.beatAt(frame);
    this.segs = this.segs.filter((s) => s.frame < frame);
    this.segs.push({ frame, beat, bpm });
    this.prune();
  }

  /** From `frame` on every beat count is `beats` higher (later segments included). */
  shift(beats: Beats, frame: Samples): void {
    const s = this.segs[this.indexAt(frame)]!;
    const moved: TempoSegment = { frame, beat: this.beatIn(s, frame) + beats, bpm: s.bpm };
    const before = this.segs.filter((t) => t.frame < frame);
    const later = this.segs.filter((t) => t.frame > frame).map((t) => ({ ...t, beat: t.beat + beats }));
    this.segs = [...before, moved, ...later];
    this.prune();
  }

  /**
   * The first grid boundary at an integer frame >= `frame`.
   *
   * A boundary falls where the grid reaches a boundary beat: at the rounded frame where the beat
   * crosses it, or at the frame of a forward jump that skips it.
   * @param frame first candidate frame
   * @param next smallest boundary beat >= its argument; boundaries must be whole beats, >= 1 apart
   */
  nextCrossing(frame: Samples, next: (lo: Beats) => Beats): GridCrossing {
    for (let i = Math.max(0, this.indexAt(frame) - 1); i < this.segs.length; i++) {
      const s = this.segs[i]!;
      const following = this.segs[i + 1];
      const endBeat = following ? this.beatIn(s, following.frame) : Infinity;
      if (i > 0) {
        const prevEnd = this.beatIn(this.segs[i - 1]!, s.frame);
        const skipped = next(prevEnd);
        if (s.beat > prevEnd && skipped < s.beat && Math.round(s.frame) >= frame) {
          return { frame: Math.round(s.frame), beat: skipped };
        }
      }
      const fromHalfFrameBefore = this.beatIn(s, frame - 0.5);
      let x = next(i === 0 ? fromHalfFrameBefore : Math.max(s.beat, fromHalfFrameBefore));
      for (; x < endBeat; x = next(x + 0.5)) {
        const f = Math.round(this.frameIn(s, x));
        if (f >= frame) return { frame: f, beat: x };
      }
    }
    throw new Error('unreachable: the last tempo segment is unbounded');
  }

  private beatIn(s: TempoSegment, frame: Samples): Beats {
    return s.beat + ((frame - s.frame) * s.bpm) / (60 * this.sampleRate);
  }

  private frameIn(s: TempoSegment, beat: Beats): Samples {
    return s.frame + ((beat - s.beat) * 60 * this.sampleRate) / s.bpm;
  }

  /** Index of the last segment starting at or before `frame` (0 when none does). */
  private indexAt(frame: Samples): number {
    for (let i = this.segs.length - 1; i > 0; i--) if (this.segs[i]!.frame <= frame) return i;
    return 0;
  }

  private prune(): void {
    if (this.segs.length > MAX_TEMPO_SEGMENTS) this.segs = this.segs.slice(-MAX_TEMPO_SEGMENTS);
  }
}
