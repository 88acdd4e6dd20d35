import type { ClockReports } from './midiClock.js';

/** The listener bookkeeping every external clock in control/ shares (MIDI clock, Ableton Live). */
export abstract class ClockReporter implements ClockReports {
  abstract readonly name: string;
  private readonly tempoListeners = new Set<(bpm: number) => void>();
  private readonly beatListeners = new Set<(beat: number) => void>();

  onTempo(listener: (bpm: number) => void): () => void {
    this.tempoListeners.add(listener);
    return () => this.tempoListeners.delete(listener);
  }

  onBeat(listener: (beat: number) => void): () => void {
    this.beatListeners.add(listener);
    return () => this.beatListeners.delete(listener);
  }

  protected reportTempo(bpm: number): void {
    for (const l of this.tempoListeners) l(bpm);
  }

  protected reportBeat(beat: number): void {
    for (const l of this.beatListeners) l(beat);
  }
}
