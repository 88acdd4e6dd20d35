/**
 * What is heard when, in segments: the model behind the timeline looks. Built from the show's
 * events: `segment-ready` (a segment's length and planned start) and `segment-started` (the frame it
 * actually started at, or looped again). Pure: no DOM, no GL.
 *
 * It follows the playback's rules, so the picture looks like it sounds: a segment plays to its
 * end and loops until the next one starts (late or frozen); the next one starts at its planned
 * frame, or at the end of the one before; at a change the outgoing segment goes on under the
 * crossfade from where it was. While frozen, the one playing loops and nothing else is ahead.
 */
export interface TimelineOptions {
  /** the playback's crossfade, frames (default 2048, as engine/live/playback) */
  readonly crossfadeFrames?: number;
  /** segment starts remembered (default 16) */
  readonly keep?: number;
}

/** A stretch of the output timeline during which one segment is heard. */
export interface Piece {
  readonly segmentId: number;
  /** first frame heard (for a piece after a change: where its crossfade begins) */
  readonly startFrame: number;
  /** frame after the last one heard (Infinity: loops until further notice) */
  readonly endFrame: number;
  /** a frame at which column 0 was heard: the column at frame f is `fract((f - anchorFrame) / frames)` */
  readonly anchorFrame: number;
  readonly frames: number;
  /** frames over which it fades in over the piece before (0: a hard start, e.g. the first one) */
  readonly fadeInFrames: number;
  /** true for segments not started yet (planned from `segment-ready`) */
  readonly planned: boolean;
}

interface Start { readonly segmentId: number; readonly frame: number }
interface Ready { readonly frames: number; readonly startFrame: number | null }

export class Timeline {
  private readonly crossfadeFrames: number;
  private readonly keep: number;
  private readonly segments = new Map<number, Ready>();
  private readonly starts: Start[] = [];
  private frozen = false;

  constructor(options: TimelineOptions = {}) {
    this.crossfadeFrames = options.crossfadeFrames ?? 2048;
    this.keep = options.keep ?? 16;
  }

  /** `segment-ready`: its length in output frames and the frame it is planned to start at. */
  ready(segmentId: number, frames: number, startFrame: number | null): void {
    this.segments.set(segmentId, { frames, startFrame });
  }

  /** `segment-started`: heard from `frame` (a repeat re-anchors the loop). */
  started(segmentId: number, frame: number, frozen = this.frozen): void {
    // a late event never rewrites what is already known to have happened after it
    while (this.starts.length > 0 && this.starts[this.starts.length - 1]!.frame > frame) this.starts.pop();
    this.starts.push({ segmentId, frame });
    if (this.starts.length > this.keep) this.starts.splice(0, this.starts.length - this.keep);
    this.frozen = frozen;
    const oldest = this.starts[0]!.segmentId;
    for (const id of this.segments.keys()) if (id < oldest) this.segments.delete(id);
  }

  /** Forgets everything: a different show (restarted) numbers its segments from 1 again. */
  clear(): void {
    this.segments.clear();
    this.starts.length = 0;
    this.frozen = false;
  }

  /** The show's freeze: the playing segment loops and the planned ones are not heard. */
  setFrozen(on: boolean): void {
    this.frozen = on;
  }

  /** Whether the segment's length is known (its `segment-ready` arrived). */
  knows(segmentId: number): boolean {
    return this.segments.has(segmentId);
  }

  /** The segment and column (0..1, left to right) heard at `frame`, or null before the first start. */
  at(frame: number): { segmentId: number; column: number } | null {
    const pieces = this.pieces(frame, frame);
    let heard: Piece | undefined;
    for (const p of pieces) if (p.startFrame <= frame && frame < p.endFrame) heard = p;
    if (!heard) return null;
    return { segmentId: heard.segmentId, column: columnAt(heard, frame) };
  }

  /**
   * The pieces heard between `from` and `to`, in order (each overlapping the one before by its
   * crossfade): what was played, then what is planned ahead.
   */
  pieces(from: number, to: number): Piece[] {
    const known = this.starts.filter((s) => this.segments.has(s.segmentId));
    if (known.length === 0) return [];
    const out: Piece[] = [];
    let first = 0;
    for (let i = 0; i < known.length; i++) if (known[i]!.frame <= from) first = i;
    for (let i = first; i < known.length; i++) {
      const s = known[i]!;
      const next = known[i + 1];
      const fade = i > first && known[i - 1]!.segmentId !== s.segmentId ? this.fadeOf(s.segmentId) : 0;
      out.push(this.piece(s.segmentId, s.frame, next ? next.frame : Infinity, s.frame, fade, false));
    }
    if (!this.frozen) this.planAhead(out, to);
    // the outgoing segment goes on under the incoming one's fade
    for (let i = 0; i + 1 < out.length; i++) {
      const a = out[i]!;
      const b = out[i + 1]!;
      if (b.fadeInFrames > 0 && a.segmentId !== b.segmentId) out[i] = { ...a, endFrame: b.startFrame + b.fadeInFrames };
    }
    return out.filter((p) => p.endFrame > from && p.startFrame <= to);
  }

  /** Appends the segments ready and not started yet, at their planned frames or back to back. */
  private planAhead(out: Piece[], to: number): void {
    const last = out[out.length - 1]!;
    const ahead = [...this.segments.entries()].filter(([id]) => id > last.segmentId).sort(([a], [b]) => a - b);
    let prev = last;
    for (const [id, ready] of ahead) {
      if (prev.startFrame > to) break;
      // a segment ends its loop at the end of a whole pass, unless a start was planned
      const naturalEnd = prev.anchorFrame + Math.max(1, Math.ceil((prev.startFrame + 1 - prev.anchorFrame) / prev.frames)) * prev.frames;
      const start = ready.startFrame !== null && ready.startFrame > prev.startFrame ? ready.startFrame : naturalEnd;
      out[out.length - 1] = { ...prev, endFrame: start };
      prev = this.piece(id, start, Infinity, start, this.fadeOf(id), true);
      out.push(prev);
    }
  }

  private fadeOf(segmentId: number): number {
    return Math.min(this.crossfadeFrames, this.segments.get(segmentId)!.frames);
  }

  private piece(segmentId: number, startFrame: number, endFrame: number, anchorFrame: number, fadeInFrames: number, planned: boolean): Piece {
    return { segmentId, startFrame, endFrame, anchorFrame, frames: this.segments.get(segmentId)!.frames, fadeInFrames, planned };
  }
}

/** The column (0..1) of a piece's picture heard at `frame`. */
export function columnAt(piece: Piece, frame: number): number {
  const x = (frame - piece.anchorFrame) / piece.frames;
  return x - Math.floor(x);
}
