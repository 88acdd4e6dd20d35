import { barsInQuantum, GRID_QUANTA, type GridQuantum } from './quantum.js';
import { MeterMap } from './meterMap.js';
import { TempoMap } from './tempoMap.js';
import type { Beats, BPM, Hertz, Samples } from './units.js';
import { assertBeatsPerBar, assertBpm, assertFinite } from './validate.js';

/** Who drives the tempo: the engine itself, tap tempo, or an external clock (MIDI clock, Link/OSC). */
export const CLOCK_SOURCES = ['internal', 'tap', 'external'] as const;

/** One of {@link CLOCK_SOURCES}. */
export type ClockSourceKind = (typeof CLOCK_SOURCES)[number];

/** Options of {@link Transport}. */
export interface TransportOptions {
  /** Output sample rate (Hz): frames per second of the timeline. Required. */
  readonly sampleRate: Hertz;
  /** Initial tempo (BPM, 20..300). */
  readonly bpm: BPM;
  /** Initial beats per bar (integer 1..16). */
  readonly beatsPerBar: number;
}

/** Where a frame falls musically. */
export interface TransportPosition {
  /** 1-based bar number (below 1 before the first bar 1). */
  readonly bar: number;
  /** 1-based beat within the bar. */
  readonly beat: number;
  /** Fraction of the beat elapsed, 0 <= phase < 1. */
  readonly phase: number;
  /** Absolute beats, as `beatAt`. */
  readonly beats: Beats;
}

/**
 * Musical time on the output timeline: maps audio frames (sample indices of the played output, the
 * one clock) to beats, bars and launch boundaries.
 *
 * Pure and I/O-free: time comes in as frame arguments. Changes (`setTempo`, `nudge`, …) take effect
 * at a frame and keep a short history (64 changes), so frames before a change scheduled ahead
 * still read the old grid. Positions are always computed from the anchor of the tempo segment
 * holding the frame, never accumulated, so there is no drift. Beat boundaries are whole beats;
 * bars start on whole beats (frame 0 is bar 1 beat 1).
 *
 * @example
 * ```ts
 * const t = new Transport({ sampleRate: 44100, bpm: 120 });
 * t.nextBoundary(1, 'bar'); // 88200
 * t.setTempo(90, 88200);
 * t.position(88200); // { bar: 2, beat: 1, phase: 0, beats: 4 }
 * ```
 */
export class Transport {
  /** Defaults for every option except `sampleRate`. */
  static defaults(): Omit<TransportOptions, 'sampleRate'> {
    return { bpm: 120, beatsPerBar: 4 };
  }

  /** The options it was built with (initial tempo and meter), frozen. */
  readonly options: Readonly<TransportOptions>;
  private readonly tempo: TempoMap;
  private readonly meter: MeterMap;
  private source: ClockSourceKind = 'internal';
  private sourceName: string | undefined;

  /** @throws RangeError on a sample rate that is not > 0, a tempo outside 20..300 or a bad meter */
  constructor(options: Partial<TransportOptions> & Pick<TransportOptions, 'sampleRate'>) {
    const o: TransportOptions = { ...Transport.defaults(), ...options };
    assertFinite('sampleRate', o.sampleRate);
    if (o.sampleRate <= 0) throw new RangeError(`sampleRate must be > 0 Hz, got ${o.sampleRate}`);
    assertBpm('bpm', o.bpm);
    assertBeatsPerBar(o.beatsPerBar);
    this.options = Object.freeze(o);
    this.tempo = new TempoMap(o.sampleRate, o.bpm);
    this.meter = new MeterMap(o.beatsPerBar);
  }

  /** Tempo (BPM) from the latest change on. */
  get bpm(): BPM {
    return this.tempo.bpm;
  }

  /** Beats per bar from the latest meter change on. */
  get beatsPerBar(): number {
    return this.meter.beatsPerBar;
  }

  /** Frames per second (Hz). */
  get sampleRate(): Hertz {
    return this.options.sampleRate;
  }

  /** Who drives the tempo (set by callers with `setClockSource`; informational). */
  get clockSource(): ClockSourceKind {
    return this.source;
  }

  /** Name of the external clock (e.g. a MIDI port), when one was given. */
  get clockSourceName(): string | undefined {
    return this.sourceName;
  }

  /** Tempo (BPM) in effect at `frame`. */
  bpmAt(frame: Samples): BPM {
    assertFinite('frame', frame);
    return this.tempo.bpmAt(frame);
  }

  /** Frames per beat (float) at the latest tempo. */
  framesPerBeat(): Samples {
    return (60 * this.sampleRate) / this.bpm;
  }

  /** Absolute beats (float) at `frame`; 0 at frame 0 until the grid is moved. */
  beatAt(frame: Samples): Beats {
    assertFinite('frame', frame);
    return this.tempo.beatAt(frame);
  }

  /** Frame (float) at which the grid is at `beat` (its last occurrence if a nudge repeated it). */
  frameOfBeat(beat: Beats): Samples {
    assertFinite('beat', beat);
    return this.tempo.frameOfBeat(beat);
  }

  /**
   * Bar, beat and phase at `frame`. A frame within half a frame of a beat boundary counts as on it,
   * so `position(nextBoundary(f, q))` has phase 0; `beats` is the unsnapped `beatAt(frame)`.
   */
  position(frame: Samples): TransportPosition {
    const beats = this.beatAt(frame);
    const halfFrame = (0.5 * this.tempo.bpmAt(frame)) / (60 * this.sampleRate);
    const snapped = Math.abs(beats - Math.round(beats)) < halfFrame ? Math.round(beats) : beats;
    const { bar, beat } = this.meter.locate(snapped);
    return { bar, beat, phase: snapped - Math.floor(snapped), beats };
  }

  /**
   * The smallest integer frame >= `frame` on which a `quantum` boundary falls. Boundary frames are
   * the exact crossings rounded to the nearest frame, so a frame on a boundary returns itself.
   * Bar boundaries follow the meter; '2bars'/'4bars' are bars numbered 1 + 2k / 1 + 4k.
   */
  nextBoundary(frame: Samples, quantum: GridQuantum): Samples {
    return this.crossing(frame, quantum).frame;
  }

  /** From `atFrame` on the tempo is `bpm`; beats stay continuous there. Drops later scheduled tempo changes and nudges. */
  setTempo(bpm: BPM, atFrame: Samples): void {
    assertBpm('bpm', bpm);
    assertFinite('atFrame', atFrame);
    this.tempo.setTempo(bpm, atFrame);
  }

  /**
   * Change the meter: the bar in progress at `atFrame` keeps its downbeat and length, and bars from
   * the next downbeat at or after `atFrame` have `beatsPerBar` beats (at once if `atFrame` is a
   * downbeat). Bar numbers continue. Drops later scheduled meter changes and resyncs.
   */
  setBeatsPerBar(beatsPerBar: number, atFrame: Samples): void {
    assertBeatsPerBar(beatsPerBar);
    assertFinite('atFrame', atFrame);
    const downbeat = this.crossing(atFrame, 'bar').beat;
    this.meter.set(downbeat, beatsPerBar, this.meter.locate(downbeat).bar);
  }

  /** The next beat boundary at or after `atFrame` becomes bar 1 beat 1; the beat grid is unchanged. */
  resync(atFrame: Samples): void {
    assertFinite('atFrame', atFrame);
    const beat = this.crossing(atFrame, 'beat').beat;
    this.meter.set(beat, this.meter.at(beat).beatsPerBar, 1);
  }

  /**
   * Jump the grid by `beats` (-1..1) at `atFrame`: afterwards `beatAt(f)` is its old value plus
   * `beats` for every f >= atFrame (boundaries come sooner for positive beats).
   */
  nudge(beats: Beats, atFrame: Samples): void {
    assertFinite('beats', beats);
    if (Math.abs(beats) > 1) throw new RangeError(`nudge must be within -1..1 beats, got ${beats}`);
    assertFinite('atFrame', atFrame);
    if (beats !== 0) this.tempo.shift(beats, atFrame);
  }

  /** Record who drives the tempo; `name` names an external clock. */
  setClockSource(kind: ClockSourceKind, name?: string): void {
    if (!CLOCK_SOURCES.includes(kind)) throw new RangeError(`clock source must be one of ${CLOCK_SOURCES.join(', ')}, got ${kind}`);
    this.source = kind;
    this.sourceName = name;
  }

  private crossing(frame: Samples, quantum: GridQuantum) {
    assertFinite('frame', frame);
    if (!GRID_QUANTA.includes(quantum)) throw new RangeError(`quantum must be one of ${GRID_QUANTA.join(', ')}, got ${quantum}`);
    const bars = barsInQuantum(quantum);
    return this.tempo.nextCrossing(frame, bars === 0 ? Math.ceil : (lo) => this.meter.nextDownbeat(lo, bars));
  }
}
