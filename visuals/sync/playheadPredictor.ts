/**
 * Predicts the output frame being heard at a moment of the page's clock (`performance.now()`),
 * from the show's `clock` messages (the heard frame, about 20 a second), the way Tone.js's Draw
 * lines visuals up with the audio context's time. Pure: no DOM, time is passed in.
 *
 * A clock message is always a little stale when it arrives (the socket, the event loop, the
 * sink reporting its position in chunks), never early, so the freshest estimate of the audio
 * clock's offset against the page's clock is the highest one over the last couple of seconds
 * (an NTP-style minimum-delay filter). The prediction runs at the nominal rate and steers
 * towards that estimate by at most `maxSlew` of the rate: it never jumps, and never goes back.
 * A disagreement beyond `resetSeconds` (a new show, a reconnect after a long gap) is taken at
 * once instead: steering a whole second would take twenty.
 */
export interface PlayheadPredictorOptions {
  /** how long a clock observation counts for the offset estimate, ms (default 2000) */
  readonly windowMs?: number;
  /** the largest steering, as a fraction of the playback rate (default 0.05: 5 % fast or slow) */
  readonly maxSlew?: number;
  /** a disagreement larger than this is taken at once rather than steered (default 1 s) */
  readonly resetSeconds?: number;
  /** the prediction stops this long after the last clock message (the show ended or the link dropped), ms (default 1000) */
  readonly holdAfterMs?: number;
}

interface Observation {
  readonly atMs: number;
  /** frame minus rate × time: constant while audio and page clocks run together */
  readonly offset: number;
}

export class PlayheadPredictor {
  private readonly windowMs: number;
  private readonly maxSlew: number;
  private readonly resetSeconds: number;
  private readonly holdAfterMs: number;
  private readonly observations: Observation[] = [];
  private rate = 0; // frames per ms
  private sampleRate = 0;
  private lastMs: number | undefined;
  private lastFrame = 0;

  constructor(options: PlayheadPredictorOptions = {}) {
    this.windowMs = options.windowMs ?? 2000;
    this.maxSlew = options.maxSlew ?? 0.05;
    this.resetSeconds = options.resetSeconds ?? 1;
    this.holdAfterMs = options.holdAfterMs ?? 1000;
  }

  /** whether a clock message has arrived yet */
  get ready(): boolean {
    return this.observations.length > 0;
  }

  /** A `clock` message: `frame` heard, received at `atMs` on the page's clock. */
  clock(frame: number, sampleRate: number, atMs: number): void {
    if (sampleRate !== this.sampleRate) {
      this.sampleRate = sampleRate;
      this.rate = sampleRate / 1000;
      this.observations.length = 0;
    }
    const offset = frame - this.rate * atMs;
    // a different timeline (a new show): the old observations say nothing about it
    if (this.observations.some((o) => Math.abs(o.offset - offset) > this.resetSeconds * this.sampleRate)) this.observations.length = 0;
    this.observations.push({ atMs, offset });
    while (this.observations.length > 1 && this.observations[0]!.atMs < atMs - this.windowMs) this.observations.shift();
  }

  /** The frame heard at `atMs` (e.g. the next vsync): smooth, and never less than the last answer. */
  predict(atMs: number): number {
    if (this.observations.length === 0) return 0;
    const last = this.observations[this.observations.length - 1]!;
    const t = Math.min(atMs, last.atMs + this.holdAfterMs);
    let offset = -Infinity;
    for (const o of this.observations) offset = Math.max(offset, o.offset);
    const ideal = offset + this.rate * t;
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
