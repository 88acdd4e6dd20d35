import type { Segment } from './segment.js';

/**
 * The realtime side: fills interleaved stereo chunks from the current segment, moving to the next
 * one at the segment boundary with an equal-power crossfade (the outgoing segment continues from
 * its loop start under the fade, since every segment is one period of a loop). When no next
 * segment is ready the current one loops: the player never falls silent once it has started.
 * Allocates nothing per chunk; pure apart from the segments it is given.
 */
export class SegmentPlayer {
  private current: Segment | undefined;
  /** frame position in `current` */
  private position = 0;
  /** the segment fading out, and the frames of fade left */
  private outgoing: Segment | undefined;
  private outgoingPosition = 0;
  private fadeLeft = 0;
  private readonly fadeCos: Float32Array;
  private readonly fadeSin: Float32Array;

  /**
   * @param next returns the next ready segment, or undefined if none is (then the current loops)
   * @param onBoundary told at every boundary: the segment now playing and whether it is a repeat
   */
  constructor(
    private readonly next: () => Segment | undefined,
    private readonly onBoundary: (segment: Segment, repeated: boolean, frameOffset: number) => void,
    readonly crossfadeFrames = 2048,
    /** true once no more segments will come: the last one then ends in silence instead of repeating */
    private readonly ended: () => boolean = () => false,
  ) {
    this.fadeCos = new Float32Array(crossfadeFrames);
    this.fadeSin = new Float32Array(crossfadeFrames);
    for (let i = 0; i < crossfadeFrames; i++) {
      const theta = ((i + 0.5) / crossfadeFrames) * (Math.PI / 2);
      this.fadeCos[i] = Math.cos(theta);
      this.fadeSin[i] = Math.sin(theta);
    }
  }

  get nowPlaying(): Segment | undefined {
    return this.current;
  }

  /** frames left in the current segment before the next boundary (0 before the first segment) */
  get remainingFrames(): number {
    return this.current ? this.current.audio[0].length - this.position : 0;
  }

  /** Fills `chunk` (interleaved L R, `frames` frames); silence until the first segment arrives. */
  fill(chunk: Float32Array, frames: number): void {
    for (let f = 0; f < frames; f++) {
      if (!this.current || this.position >= this.current.audio[0].length) this.advance(f);
      const seg = this.current;
      if (!seg) {
        chunk[2 * f] = 0;
        chunk[2 * f + 1] = 0;
        continue;
      }
      let l = seg.audio[0][this.position]!, r = seg.audio[1][this.position]!;
      if (this.fadeLeft > 0 && this.outgoing) {
        const k = this.crossfadeFrames - this.fadeLeft;
        const out = this.outgoing, op = this.outgoingPosition % out.audio[0].length;
        l = l * this.fadeSin[k]! + out.audio[0][op]! * this.fadeCos[k]!;
        r = r * this.fadeSin[k]! + out.audio[1][op]! * this.fadeCos[k]!;
        this.outgoingPosition++;
        this.fadeLeft--;
      }
      chunk[2 * f] = l;
      chunk[2 * f + 1] = r;
      this.position++;
    }
  }

  private advance(frameOffset: number): void {
    const upcoming = this.next();
    if (upcoming) {
      // the same audio again (a recorded repeat) continues seamlessly: no crossfade with itself
      if (this.current && upcoming.audio !== this.current.audio) {
        this.outgoing = this.current;
        this.outgoingPosition = 0; // its continuation: the loop start
        this.fadeLeft = Math.min(this.crossfadeFrames, upcoming.audio[0].length);
      }
      this.current = upcoming;
      this.position = 0;
      this.onBoundary(upcoming, false, frameOffset);
    } else if (this.current && this.ended()) {
      this.current = undefined;
    } else if (this.current) {
      this.position = 0;
      this.onBoundary(this.current, true, frameOffset);
    }
  }
}
