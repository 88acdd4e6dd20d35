import { setTimeout as sleepMs } from 'node:timers/promises';

/** Time source and sleeper; injected so tests can run a paced sink on a fake clock. */
export interface ClockSource {
  /** Current time in milliseconds (monotonic; the default is `performance.now()`). */
  now(): number;
  /** Resolve after about `ms` milliseconds (may be late, never needs to be early). */
  sleep(ms: number): Promise<void>;
}

/** The real clock: `performance.now()` is monotonic, unlike `Date.now()`, which jumps with NTP. */
export const systemClock: ClockSource = {
  now: () => performance.now(),
  sleep: (ms) => sleepMs(ms),
};

/**
 * A drift-free sample clock: frame `n` is due at `origin + n / sampleRate`.
 *
 * Each deadline is computed from the frame count and a fixed origin, never by adding chunk
 * durations to the previous wake-up, so timer lateness (setTimeout is typically 1 ms late) does
 * not accumulate: after an hour the clock is as close to wall time as after a second.
 *
 * @example
 * ```ts
 * const clock = new RealtimeClock(44100);
 * clock.reset();
 * await clock.waitForFrame(44100); // resolves about one second after reset()
 * ```
 */
export class RealtimeClock {
  private origin = 0;

  /**
   * @param sampleRate frames per second (Hz)
   * @param source time source; tests pass a fake one
   */
  constructor(
    readonly sampleRate: number,
    private readonly source: ClockSource = systemClock,
  ) {}

  /** Make frame 0 due now. */
  reset(): void {
    this.origin = this.source.now();
  }

  /** Shift the origin later by `frames`, e.g. after a stall the clock should not try to catch up on. */
  delay(frames: number): void {
    this.origin += (frames * 1000) / this.sampleRate;
  }

  /** Milliseconds by which frame `frame` is overdue now (negative: still ahead). */
  lateness(frame: number): number {
    return this.source.now() - this.due(frame);
  }

  /** Wall time (ms, in the source's time base) at which frame `frame` is due. */
  due(frame: number): number {
    return this.origin + (frame * 1000) / this.sampleRate;
  }

  /** Resolve once frame `frame` is due; immediately if it already is. */
  async waitForFrame(frame: number): Promise<void> {
    const wait = this.due(frame) - this.source.now();
    if (wait > 0) await this.source.sleep(wait);
  }
}
