import type { MidiMessage } from '../mapping/midiMessage.js';
import { ClockReporter } from './clockReporter.js';

/** MIDI clock: 24 pulses per quarter note. */
export const TICKS_PER_BEAT = 24;
/** A song position pointer counts sixteenth notes: 6 ticks each. */
export const TICKS_PER_SIXTEENTH = 6;

/**
 * The shape of engine/clock/externalClock.ts's `ExternalClock`, restated because control/ may
 * not import engine/ (docs/architecture.md); a type test keeps the two the same.
 */
export interface ClockReports {
  readonly name: string;
  onTempo(listener: (bpm: number) => void): () => void;
  onBeat(listener: (beat: number) => void): () => void;
}

export interface MidiClockOptions {
  /** shown as `external:<name>` in the state's clock source (default `midi`) */
  readonly name?: string;
  /** ticks averaged before the first tempo report (default 24: one beat) */
  readonly minTicks?: number;
  /** ticks averaged at most (default 96: one 4/4 bar), so a tempo change shows within a bar */
  readonly maxTicks?: number;
  /** a gap longer than this (ms) means the clock stopped: the average starts over (default 1000) */
  readonly maxGapMs?: number;
  /**
   * ticks between tempo reports (default 6: four per beat). The show's smoother trusts a source
   * after a few dozen reports; one per beat would leave the show on its own tempo for ~15 s.
   */
  readonly reportEveryTicks?: number;
}

/**
 * MIDI clock in, as an external clock for the show. Pure: each tick comes with its arrival time
 * (milliseconds on any clock), nothing reads a clock or sets a timer.
 *
 * Tempo: the mean tick interval over the last 24–96 ticks, reported four times a beat (the show's
 * ClockFollower smooths it further: jitter re-renders nothing). Ticks count for the tempo even
 * while stopped (most masters keep sending them), and the average starts over on Start, on a song
 * position and after a gap.
 *
 * Beats: counted from Start (the first tick after Start is beat 0) or from a song position,
 * reported on each whole beat while running; Stop pauses the count, Continue resumes it.
 */
export class MidiClock extends ClockReporter {
  readonly name: string;
  private readonly minTicks: number;
  private readonly maxTicks: number;
  private readonly maxGapMs: number;
  private readonly reportEveryTicks: number;
  /** arrival times of the last ticks (at most maxTicks + 1: maxTicks intervals) */
  private readonly times: number[] = [];
  private ticksSinceReport = 0;
  private running = false;
  /** ticks since beat 0 (the next tick's index) */
  private position = 0;
  private lastBpm: number | null = null;

  constructor(options: MidiClockOptions = {}) {
    super();
    this.name = options.name ?? 'midi';
    this.minTicks = options.minTicks ?? TICKS_PER_BEAT;
    this.maxTicks = Math.max(this.minTicks, options.maxTicks ?? 4 * TICKS_PER_BEAT);
    this.maxGapMs = options.maxGapMs ?? 1000;
    this.reportEveryTicks = options.reportEveryTicks ?? TICKS_PER_SIXTEENTH;
  }

  /** the last tempo reported, or null before the first */
  get bpm(): number | null {
    return this.lastBpm;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Feeds one message (anything but clock, start, stop, continue and position is ignored). */
  handle(message: MidiMessage, atMs: number): void {
    switch (message.type) {
      case 'clock': this.tick(atMs); return;
      case 'start': this.start(); return;
      case 'stop': this.running = false; return;
      case 'continue': this.running = true; return;
      case 'position': this.songPosition(message.value); return;
      default: return;
    }
  }

  /** One clock tick, arrived at `atMs`. */
  tick(atMs: number): void {
    const last = this.times.at(-1);
    if (last !== undefined && (atMs - last > this.maxGapMs || atMs < last)) this.resetTempo();
    this.times.push(atMs);
    if (this.times.length > this.maxTicks + 1) this.times.shift();
    this.ticksSinceReport++;
    const intervals = this.times.length - 1;
    if (intervals >= this.minTicks && this.ticksSinceReport >= this.reportEveryTicks) {
      this.ticksSinceReport = 0;
      const msPerTick = (this.times.at(-1)! - this.times[0]!) / intervals;
      if (msPerTick > 0) {
        this.lastBpm = 60_000 / (msPerTick * TICKS_PER_BEAT);
        this.reportTempo(this.lastBpm);
      }
    }
    if (!this.running) return;
    if (this.position % TICKS_PER_BEAT === 0) {
      const beat = this.position / TICKS_PER_BEAT;
      this.reportBeat(beat);
    }
    this.position++;
  }

  /** Start: from the top; the next tick is beat 0. */
  start(): void {
    this.running = true;
    this.position = 0;
    this.resetTempo();
  }

  /** Song position pointer, in sixteenths from the top: the next tick is there. */
  songPosition(sixteenths: number): void {
    this.position = sixteenths * TICKS_PER_SIXTEENTH;
    this.resetTempo();
  }

  private resetTempo(): void {
    this.times.length = 0;
    this.ticksSinceReport = 0;
  }
}
