import type { BPM, Seconds } from './units.js';
import { assertBpm, assertFinite } from './validate.js';

/** Options of {@link TapTempo}. */
export interface TapTempoOptions {
  /** A gap longer than this (s) starts a new run of taps. With 2 s, tempi below 30 BPM cannot be tapped. */
  readonly resetAfterSeconds: Seconds;
  /** Most recent taps fitted (integer >= 2). */
  readonly maxTaps: number;
  /** Lowest tempo reported (BPM); slower fits are clamped to it. */
  readonly minBpm: BPM;
  /** Highest tempo reported (BPM); faster fits are clamped to it. */
  readonly maxBpm: BPM;
}

/** What a tap produced. */
export interface TapResult {
  /** Tempo (BPM, rounded to 0.01) from the taps so far; null after the first tap of a run. */
  readonly bpm: BPM | null;
  /** Taps in the current run, this one included (may exceed `maxTaps`; only the last maxTaps are fitted). */
  readonly taps: number;
}

/**
 * Tap tempo: the tempo of a least-squares line through the last `maxTaps` tap times.
 *
 * Fitting time = a + b·index over all recent taps (b = seconds per beat) weighs every tap, so one
 * sloppy tap moves the result far less than it moves the last interval. A gap longer than
 * `resetAfterSeconds`, or a tap not later than the previous one, starts a new run (that tap is tap 1).
 *
 * @example
 * ```ts
 * const tapper = new TapTempo();
 * tapper.tap(10.0); // { bpm: null, taps: 1 }
 * tapper.tap(10.5); // { bpm: 120, taps: 2 }
 * ```
 */
export class TapTempo {
  /** Default options. */
  static defaults(): TapTempoOptions {
    return { resetAfterSeconds: 2, maxTaps: 8, minBpm: 20, maxBpm: 300 };
  }

  /** Resolved options, frozen. */
  readonly options: Readonly<TapTempoOptions>;
  private times: Seconds[] = [];
  private count = 0;

  /** @throws RangeError on non-positive reset time, maxTaps < 2 or a bad BPM range */
  constructor(options: Partial<TapTempoOptions> = {}) {
    const o = { ...TapTempo.defaults(), ...options };
    assertFinite('resetAfterSeconds', o.resetAfterSeconds);
    if (o.resetAfterSeconds <= 0) throw new RangeError(`resetAfterSeconds must be > 0, got ${o.resetAfterSeconds}`);
    if (!Number.isInteger(o.maxTaps) || o.maxTaps < 2) throw new RangeError(`maxTaps must be an integer >= 2, got ${o.maxTaps}`);
    assertBpm('minBpm', o.minBpm);
    assertBpm('maxBpm', o.maxBpm, o.minBpm);
    this.options = Object.freeze(o);
  }

  /**
   * Register a tap.
   * @param seconds time of the tap (s, any monotonic time base)
   * @throws RangeError when `seconds` is not finite
   */
  tap(seconds: Seconds): TapResult {
    assertFinite('seconds', seconds);
    const last = this.times[this.times.length - 1];
    if (last === undefined || seconds <= last || seconds - last > this.options.resetAfterSeconds) this.reset();
    this.times.push(seconds);
    if (this.times.length > this.options.maxTaps) this.times.shift();
    this.count++;
    return { bpm: this.times.length < 2 ? null : this.fit(), taps: this.count };
  }

  /** Forget all taps. */
  reset(): void {
    this.times = [];
    this.count = 0;
  }

  /** Least-squares slope of time against tap index → BPM, clamped and rounded to 0.01. */
  private fit(): BPM {
    const n = this.times.length;
    const meanIndex = (n - 1) / 2;
    const meanTime = this.times.reduce((a, t) => a + t, 0) / n;
    let num = 0;
    let den = 0;
    this.times.forEach((t, i) => {
      num += (i - meanIndex) * (t - meanTime);
      den += (i - meanIndex) ** 2;
    });
    const bpm = 60 / (num / den);
    const { minBpm, maxBpm } = this.options;
    return Math.round(Math.min(maxBpm, Math.max(minBpm, bpm)) * 100) / 100;
  }
}
