/**
 * Predicts the output frame being heard at a moment of the page's clock (`performance.now()`),
 * from the show's `clock` messages (the heard frame, about 20 a second), the way Tone.js's Draw
 * lines visuals up with the audio context's time. Pure: no DOM, time is passed in.
 *
 * A clock message is a little stale when it arrives (the socket, the event loop), and the heard
 * frame it carries is itself an estimate that wobbles both ways (the engine extrapolates the audio
 * thread's last report by up to 50 ms and never lets it go back). So the audio clock's offset
 * against the page's clock is taken as the median over the last couple of seconds: an outlier
 * either way moves it little. (A maximum, NTP's minimum-delay filter, ran 100 ms ahead of the
 * engine's clock line on a loaded machine: it picked the wobble's peaks.) The prediction runs at
 * the nominal rate and steers
 * towards that estimate by at most `maxSlew` of the rate: it never jumps, and never goes back.
 * A disagreement beyond `resetSeconds` (a new show, a reconnect after a long gap, the show's
 * start) is taken at once instead: steering half a second at 10 % would take five. A clock that
 * stands still (the show pre-rolling its first segment) says nothing about the rate and is skipped.
 */
export interface PlayheadPredictorOptions {
  /** how long a clock observation counts for the estimates, ms (default 6000) */
  readonly windowMs?: number;
  /** the largest steering, as a fraction of the playback rate (default 0.1: 10 % fast or slow) */
  readonly maxSlew?: number;
  /** a disagreement larger than this is taken at once rather than steered (default 0.25 s) */
  readonly resetSeconds?: number;
  /** the prediction stops this long after the last clock message (the show ended or the link dropped), ms (default 1000) */
  readonly holdAfterMs?: number;
}

interface Observation {
  readonly atMs: number;
  /** frame minus the sample rate × the server's time of reading it: constant while the audio runs at its rate */
  readonly offset: number;
  readonly frame: number;
  /** when the frame was read: the server's clock, or the arrival when the server does not say */
  readonly base: number;
  /** arrival (page clock) minus sending (server clock): the two clocks' offset plus the delay */
  readonly lateness: number;
}

export class PlayheadPredictor {
  private readonly windowMs: number;
  private readonly maxSlew: number;
  private readonly resetSeconds: number;
  private readonly holdAfterMs: number;
  private readonly observations: Observation[] = [];
  /** the frame at server time 0 along the fitted line (median of the window), updated per clock message, not per frame */
  private offset = 0;
  /** frames per ms at the sample rate */
  private nominal = 0;
  /** page clock minus server clock (plus the least delivery delay), ms */
  private lateness = 0;
  /** frames per ms as the audio clock actually runs (fitted over the window) */
  private rate = 0;
  private sampleRate = 0;
  private lastMs: number | undefined;
  private lastFrame = 0;

  constructor(options: PlayheadPredictorOptions = {}) {
    this.windowMs = options.windowMs ?? 6000;
    this.maxSlew = options.maxSlew ?? 0.1;
    this.resetSeconds = options.resetSeconds ?? 0.25;
    this.holdAfterMs = options.holdAfterMs ?? 1000;
  }

  /** whether a clock message has arrived yet */
  get ready(): boolean {
    return this.observations.length > 0;
  }

  /**
   * A `clock` message: `frame` heard, received at `atMs` on the page's clock, read at `sentAt` on
   * the server's clock (when the server says; else the arrival is all there is). With `sentAt`,
   * the least lateness over the window maps the server's clock onto the page's (a page busy
   * drawing handles messages late, which only adds lateness). The frames are placed on a
   * straight line through the window's observations: its slope is the audio clock's actual rate
   * (a starved machine plays slower than the sample rate), its height the median, so a wobble
   * either way moves it little.
   */
  clock(frame: number, sampleRate: number, atMs: number, sentAt?: number): void {
    if (sampleRate !== this.sampleRate) {
      this.sampleRate = sampleRate;
      this.nominal = sampleRate / 1000;
      this.rate = this.nominal;
      this.observations.length = 0;
    }
    const latest = this.observations[this.observations.length - 1];
    if (latest !== undefined && frame === latest.frame) return;
    const base = sentAt ?? atMs;
    const offset = frame - this.nominal * base;
    // a different timeline (a new show): the old observations say nothing about it
    if (this.observations.some((o) => Math.abs(o.offset - offset) > this.resetSeconds * this.sampleRate)) this.observations.length = 0;
    this.observations.push({ atMs, offset, frame, base, lateness: atMs - base });
    while (this.observations.length > 1 && this.observations[0]!.atMs < atMs - this.windowMs) this.observations.shift();
    this.rate = this.fittedRate();
    const sorted = this.observations.map((o) => o.frame - this.rate * o.base).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    this.offset = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    this.lateness = Infinity;
    for (const o of this.observations) this.lateness = Math.min(this.lateness, o.lateness);
  }

  /** Least-squares slope of frame against server time, within 10 % of the sample rate; the sample rate until a second is seen. */
  private fittedRate(): number {
    const obs = this.observations;
    const n = obs.length;
    if (n < 5 || obs[n - 1]!.base - obs[0]!.base < 1000) return this.nominal;
    let mb = 0;
    let mf = 0;
    for (const o of obs) {
      mb += o.base / n;
      mf += o.frame / n;
    }
    let sxy = 0;
    let sxx = 0;
    for (const o of obs) {
      sxy += (o.base - mb) * (o.frame - mf);
      sxx += (o.base - mb) ** 2;
    }
    return Math.min(this.nominal * 1.1, Math.max(this.nominal * 0.9, sxy / sxx));
  }

  /** The frame heard at `atMs` (e.g. the next vsync): smooth, and never less than the last answer. */
  predict(atMs: number): number {
    if (this.observations.length === 0) return 0;
    const last = this.observations[this.observations.length - 1]!;
    const t = Math.min(atMs, last.atMs + this.holdAfterMs);
    const ideal = this.offset + this.rate * (t - this.lateness);
    if (this.lastMs === undefined) return this.remember(t, ideal);
    const dt = Math.max(0, t - this.lastMs);
    const natural = this.lastFrame + this.rate * dt;
    if (Math.abs(ideal - natural) > this.resetSeconds * this.sampleRate) return this.remember(t, ideal);
    const limit = this.maxSlew * this.rate * dt;
    const steered = natural + Math.max(-limit, Math.min(limit, ideal - natural));
    return this.remember(Math.max(t, this.lastMs), Math.max(this.lastFrame, steered));
  }

  private remember(atMs: number, frame: number): number {
    this.lastMs = atMs;
    this.lastFrame = frame;
    return frame;
  }
}
