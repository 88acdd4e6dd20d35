import type { Beats } from './units.js';

/** From the downbeat `origin` (a whole beat) on, bars have `beatsPerBar` beats; that bar is `firstBar`. */
export interface MeterSegment {
  readonly origin: Beats;
  readonly beatsPerBar: number;
  readonly firstBar: number;
}

/** Most meter segments kept; older ones are dropped and the oldest kept one extends backwards. */
export const MAX_METER_SEGMENTS = 64;

/**
 * Bars on the beat axis behind `Transport`: which bar and beat-in-bar a beat number falls in, and
 * where bar and phrase boundaries are. The first segment also covers all earlier beats, so bars
 * before its origin count down from its first bar (0, -1, …). Trusts its arguments.
 *
 * @example
 * ```ts
 * const meter = new MeterMap(4);
 * meter.locate(5); // { bar: 2, beat: 2 }
 * ```
 */
export class MeterMap {
  private segs: MeterSegment[];

  /** @param beatsPerBar meter from beat 0, which is bar 1 beat 1 */
  constructor(beatsPerBar: number) {
    this.segs = [{ origin: 0, beatsPerBar, firstBar: 1 }];
  }

  /** The segments, oldest first (read-only view). */
  get segments(): readonly MeterSegment[] {
    return this.segs;
  }

  /** Beats per bar of the latest segment. */
  get beatsPerBar(): number {
    return this.segs[this.segs.length - 1]!.beatsPerBar;
  }

  /** The segment in effect at `beat`. */
  at(beat: Beats): MeterSegment {
    return this.segs[this.indexAt(beat)]!;
  }

  /** Bar number and 1-based beat within the bar of the beat `floor(beat)`. */
  locate(beat: Beats): { bar: number; beat: number } {
    const s = this.at(beat);
    const index = Math.floor(beat) - s.origin; // whole beats since the origin (integer maths)
    const k = Math.floor(index / s.beatsPerBar);
    return { bar: s.firstBar + k, beat: index - k * s.beatsPerBar + 1 };
  }

  /**
   * The smallest downbeat >= `lo` that starts a phrase of `bars` bars: a bar whose number minus 1
   * is a multiple of `bars` (bar 1, 1 + bars, …; numbering as set by `resync` and meter changes).
   */
  nextDownbeat(lo: Beats, bars: number): Beats {
    for (let i = this.indexAt(lo); ; i++) {
      const s = this.segs[i]!;
      const kMin = Math.ceil((lo - s.origin) / s.beatsPerBar);
      const k = kMin + mod(1 - s.firstBar - kMin, bars);
      const downbeat = s.origin + k * s.beatsPerBar;
      const following = this.segs[i + 1];
      if (!following || downbeat < following.origin) return downbeat;
      lo = following.origin;
    }
  }

  /** From the downbeat `origin` on, bars have `beatsPerBar` beats and are numbered from `firstBar`; later segments are dropped. */
  set(origin: Beats, beatsPerBar: number, firstBar: number): void {
    this.segs = this.segs.filter((s) => s.origin < origin);
    this.segs.push({ origin, beatsPerBar, firstBar });
    if (this.segs.length > MAX_METER_SEGMENTS) this.segs = this.segs.slice(-MAX_METER_SEGMENTS);
  }

  private indexAt(beat: Beats): number {
    for (let i = this.segs.length - 1; i > 0; i--) if (this.segs[i]!.origin <= beat) return i;
    return 0;
  }
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
