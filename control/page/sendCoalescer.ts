/**
 * Faders send while they move: a thumb on a phone fires input events at 60 a second or more.
 * The coalescer sends the first value at once and then at most one per interval per control, the
 * latest value winning, so the show gets every gesture's end and the socket never backs up.
 */
export interface CoalescerOptions {
  readonly intervalMs: number;
  readonly now: () => number;
  readonly schedule: (fn: () => void, ms: number) => unknown;
  readonly send: (key: string, value: unknown) => void;
}

export class SendCoalescer {
  private readonly lastSentMs = new Map<string, number>();
  private readonly waiting = new Map<string, unknown>();

  constructor(private readonly options: CoalescerOptions) {}

  /** A new value for control `key`: sent now, or as soon as the interval allows. */
  push(key: string, value: unknown): void {
    const { now, intervalMs } = this.options;
    const last = this.lastSentMs.get(key);
    const t = now();
    if (last === undefined || t - last >= intervalMs) {
      this.waiting.delete(key);
      this.fire(key, value, t);
      return;
    }
    const alreadyScheduled = this.waiting.has(key);
    this.waiting.set(key, value);
    if (!alreadyScheduled) this.options.schedule(() => this.flush(key), last + intervalMs - t);
  }

  /** Sends what is waiting for `key` now (a fader let go must land on its final value). */
  flush(key: string): void {
    if (!this.waiting.has(key)) return;
    const value = this.waiting.get(key);
    this.waiting.delete(key);
    this.fire(key, value, this.options.now());
  }

  private fire(key: string, value: unknown, t: number): void {
    this.lastSentMs.set(key, t);
    this.options.send(key, value);
  }
}
