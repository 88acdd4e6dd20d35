/**
 * Where the beats fall on the output timeline, from the show's transport state (tempo, meter and
 * the bar, beat and phase heard at a frame): for bar lines and the beat-synced pulse and strobe.
 * Pure. Tempo changes arrive with the next state; between them the grid is straight.
 */
export interface BeatGridState {
  /** the frame the position was heard at */
  readonly frame: number;
  readonly bpm: number;
  readonly beatsPerBar: number;
  /** 1-based */
  readonly bar: number;
  /** 1-based */
  readonly beat: number;
  /** 0..1 within the beat */
  readonly phase: number;
}

export class BeatGrid {
  /** beats since bar 1 beat 1 at `frame` */
  private readonly beatsAtFrame: number;
  readonly framesPerBeat: number;

  constructor(private readonly state: BeatGridState, readonly sampleRate: number) {
    this.framesPerBeat = (sampleRate * 60) / state.bpm;
    this.beatsAtFrame = (state.bar - 1) * state.beatsPerBar + (state.beat - 1) + state.phase;
  }

  get beatsPerBar(): number {
    return this.state.beatsPerBar;
  }

  /** Beats since bar 1 beat 1 at `frame` (fractional). */
  beatAt(frame: number): number {
    return this.beatsAtFrame + (frame - this.state.frame) / this.framesPerBeat;
  }

  /** The frame of a (fractional) beat count. */
  frameOfBeat(beat: number): number {
    return this.state.frame + (beat - this.beatsAtFrame) * this.framesPerBeat;
  }
}
