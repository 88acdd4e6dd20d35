/**
 * A token bucket: `perSecond` on average, bursts up to `burst`. A fader dragged on a phone sends
 * 60 messages a second; a client far beyond the rate is flooding and gets dropped.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly perSecond: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty. `now` in ms. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
