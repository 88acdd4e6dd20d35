import type { Transport } from './transport.js';
import type { Beats, Samples, Seconds } from './units.js';

/** Options of {@link PhaseFollower}. */
export interface PhaseFollowerOptions {
  /** Reports in the median window (integer >= 1); no correction before it is full. */
  readonly window: number;
  /** Errors within ±this (beats) are ignored; every report in the window must exceed it on one side. */
  readonly deadbandBeats: Beats;
  /** Largest correction per report (beats), so the grid moves gradually. */
  readonly maxStepBeats: Beats;
  /** Mean delay of the reports (s): each report is taken as the clock's beat this long before its frame. */
  readonly latencySeconds: Seconds;
}

/**
 * Keeps the transport's beat phase on an external clock's beat reports (e.g. Ableton Link/OSC beat
 * messages on a ~100 ms tick, late and jittery by up to ~30 ms).
 *
 * Each report's error is `externalBeat - transport.beatAt(frame)` wrapped to (-0.5, 0.5] beats.
 * A correction is due when the last `window` errors all lie beyond the deadband on the same side
 * (jitter alone seldom does that); it is their median, clamped to ±maxStepBeats. The caller passes
 * every returned correction to `transport.nudge(correction, frame)`: the stored errors are reduced
 * by it, so the window stays consistent and the grid converges without overshoot.
 *
 * Lateness is indistinguishable from a phase offset: set `latencySeconds` to the reports' mean
 * delay, or the grid follows the late reports. The deadband is in beats, so jitter of ±15 ms is
 * ±0.03 beats at 120 BPM but ±0.05 at 200 BPM; raise it for fast tempi or noisier sources.
 *
 * @example
 * ```ts
 * const follower = new PhaseFollower({ latencySeconds: 0.015 });
 * const correction = follower.observe(report.beat, arrivalFrame, transport);
 * if (correction !== null) transport.nudge(correction, arrivalFrame);
 * ```
 */
export class PhaseFollower {
  /** Default options. */
  static defaults(): PhaseFollowerOptions {
    return { window: 5, deadbandBeats: 0.02, maxStepBeats: 0.05, latencySeconds: 0 };
  }

  /** Resolved options, frozen. */
  readonly options: Readonly<PhaseFollowerOptions>;
  private errors: Beats[] = [];

  /** @throws RangeError on a bad window, negative deadband or latency, or a step outside (0, 1] */
  constructor(options: Partial<PhaseFollowerOptions> = {}) {
    const o = { ...PhaseFollower.defaults(), ...options };
    if (!Number.isInteger(o.window) || o.window < 1) throw new RangeError(`window must be an integer >= 1, got ${o.window}`);
    if (!(o.deadbandBeats >= 0 && o.deadbandBeats < 0.5)) throw new RangeError(`deadbandBeats must be within 0..0.5, got ${o.deadbandBeats}`);
    if (!(o.maxStepBeats > 0 && o.maxStepBeats <= 1)) throw new RangeError(`maxStepBeats must be within (0, 1], got ${o.maxStepBeats}`);
    if (!(o.latencySeconds >= 0 && Number.isFinite(o.latencySeconds))) throw new RangeError(`latencySeconds must be >= 0, got ${o.latencySeconds}`);
    this.options = Object.freeze(o);
  }

  /**
   * Take one beat report.
   * @param externalBeat the external clock's beat count (beats; only its phase matters)
   * @param frame output frame (samples, the played position) at which the report arrived
   * @param transport the transport to keep in phase
   * @returns a correction (beats, within ±maxStepBeats) to pass to `transport.nudge`, or null;
   *   non-finite reports are ignored (null)
   */
  observe(externalBeat: Beats, frame: Samples, transport: Transport): Beats | null {
    if (!Number.isFinite(externalBeat) || !Number.isFinite(frame)) return null;
    const { window, deadbandBeats, maxStepBeats, latencySeconds } = this.options;
    this.errors.push(wrapPhase(externalBeat - transport.beatAt(frame - latencySeconds * transport.sampleRate)));
    if (this.errors.length > window) this.errors.shift();
    if (this.errors.length < window) return null;
    const ahead = this.errors.every((e) => e > deadbandBeats);
    const behind = this.errors.every((e) => e < -deadbandBeats);
    if (!ahead && !behind) return null;
    const correction = Math.max(-maxStepBeats, Math.min(maxStepBeats, median(this.errors)));
    this.errors = this.errors.map((e) => wrapPhase(e - correction));
    return correction;
  }

  /** Forget the stored errors (e.g. after a correction was not applied, or a new clock). */
  reset(): void {
    this.errors = [];
  }
}

/**
 * A phase difference wrapped to (-0.5, 0.5] beats.
 * @example wrapPhase(0.7); // -0.3 (up to float rounding)
 */
export function wrapPhase(beats: Beats): Beats {
  return beats - Math.ceil(beats - 0.5);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
