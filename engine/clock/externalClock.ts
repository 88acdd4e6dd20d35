/**
 * An external clock as the show sees it: something that reports a tempo and, where it knows it,
 * where the beat is (MIDI clock: 24 pulses per quarter note; Ableton Live through AbletonOSC:
 * tempo and beat messages on Live's ~100 ms tick). Adapters in control/ implement it; the show
 * follows it through smoothing (`ClockFollower` in engine/live), never directly: its jitter must
 * never re-render anything.
 */
export interface ExternalClock {
  /** shown in the state's `clockSource` as `external:<name>` */
  readonly name: string;
  /** Calls `listener` with every tempo report (BPM); returns the function that stops listening. */
  onTempo(listener: (bpm: number) => void): () => void;
  /**
   * Calls `listener` with every beat report: the clock's beat count (whole or fractional, from its
   * own start). Clocks that only know their tempo never call it.
   */
  onBeat(listener: (beat: number) => void): () => void;
}
