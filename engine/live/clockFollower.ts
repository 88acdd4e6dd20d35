import type { ExternalClock } from '../clock/externalClock.js';
import { PhaseFollower } from '../clock/phaseFollower.js';
import { TempoSmoother } from '../clock/tempoSmoother.js';
import type { Transport } from '../clock/transport.js';

/** What the follower asks of the show. */
export interface FollowedShow {
  readonly transport: Transport;
  /** the frame being heard now (beat reports describe what is heard) */
  heardFrame(): number;
  /** a smoothed tempo from the clock: retimed within 2 %, re-fitted beyond */
  setTempo(bpm: number, source: { kind: 'external'; name: string }): void;
  /** a phase correction in beats (a nudge) */
  nudge(beats: number): void;
}

export interface ClockFollowerOptions {
  /** mean delay of the clock's beat reports, seconds (they describe the past) */
  readonly latencySeconds?: number;
}

/**
 * Steers a show's transport from an external clock: tempo reports go through a TempoSmoother
 * (jitter changes nothing; a real change is followed within a few reports), beat reports through
 * a PhaseFollower (small, gradual nudges). `dispose()` stops following.
 */
export class ClockFollower {
  private readonly smoother = new TempoSmoother();
  private readonly phase: PhaseFollower;
  private readonly stops: Array<() => void>;

  constructor(clock: ExternalClock, private readonly show: FollowedShow, options: ClockFollowerOptions = {}) {
    this.phase = new PhaseFollower({ latencySeconds: options.latencySeconds ?? 0 });
    this.stops = [
      clock.onTempo((bpm) => {
        const smoothed = this.smoother.observe(bpm);
        if (smoothed !== null) this.show.setTempo(smoothed, { kind: 'external', name: clock.name });
      }),
      clock.onBeat((beat) => {
        const correction = this.phase.observe(beat, this.show.heardFrame(), this.show.transport);
        if (correction !== null) this.show.nudge(correction);
      }),
    ];
  }

  dispose(): void {
    for (const stop of this.stops) stop();
    this.stops.length = 0;
  }
}
