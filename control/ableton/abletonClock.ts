import { ClockReporter } from '../midi/clockReporter.js';
import type { OscArg, OscOut } from '../osc/oscAddressSpace.js';

/** The AbletonOSC addresses Synesthete listens to (replies and pushes from Live). */
export const TEMPO = '/live/song/get/tempo';
export const BEAT = '/live/song/get/beat';
/** AbletonOSC before the beat listener moved to `get/beat` pushed this unasked */
export const OLD_BEAT = '/live/song/beat';
export const IS_PLAYING = '/live/song/get/is_playing';

/** What to ask Live for on (re)connecting: listeners push the current value at once, then changes. */
export const SUBSCRIBE: readonly OscOut[] = [
  { address: '/live/song/start_listen/tempo', args: [] },
  { address: '/live/song/start_listen/is_playing', args: [] },
  { address: '/live/song/start_listen/beat', args: [] },
];
/** The poll that tells whether Live is there (and makes Synesthete AbletonOSC's latest client again). */
export const POLL: OscOut = { address: TEMPO, args: [] };

export interface AbletonClockOptions {
  /** where Live is, for the warnings (e.g. `127.0.0.1:11000`) */
  readonly where?: string;
  /** Live is taken as gone when nothing came from it for this long, ms (default 5000) */
  readonly timeoutMs?: number;
  /** beats whose arrival times are pooled to find the beat grid (default 8) */
  readonly anchorBeats?: number;
}

/** What the adapter should do after a message or a poll: send these to Live, print this warning. */
export interface AbletonActions {
  readonly send: readonly OscOut[];
  readonly warning?: string;
}

const NOTHING: AbletonActions = { send: [] };

/**
 * Ableton Live through AbletonOSC, as an external clock for the show. Pure: every message and
 * every poll comes with its time (milliseconds on any steady clock); nothing reads a clock, sets
 * a timer or touches a socket (control/ableton/abletonLink.ts does).
 *
 * Tempo: Live states its tempo exactly, so it is reported on every tempo message and again on
 * every beat; the show's TempoSmoother takes a clean source after three agreeing reports, and a
 * change in Live after about five beats.
 *
 * Beats: AbletonOSC sends `/live/song/get/beat N` from Live's song-time listener, which runs on
 * Live's tick (~100 ms; up to 60 Hz on a quiet Live), so each arrives up to a tick late. At a
 * known tempo each arrival implies where beat 0 was; the earliest of the last `anchorBeats`
 * implications is the least late, so the beat reported is measured from it: a fractional beat at
 * the arrival time, late by about a tick / (anchorBeats + 1) instead of half a tick. The pool
 * starts over when the tempo changes, Live jumps (a loop, a locate) or stops. Beat reports go to
 * the show's PhaseFollower, which nudges the grid gradually: Live steers the phase, it is never
 * the clock itself.
 *
 * Liveness: `poll(atMs)` (every ~2 s) asks for the tempo; when nothing came for `timeoutMs` the
 * clock warns once that Live is gone, and the first message after that re-subscribes and warns
 * once that it is back (AbletonOSC forgets its listeners when Live reloads its control surfaces).
 */
export class AbletonClock extends ClockReporter {
  readonly name = 'ableton';
  private readonly where: string;
  private readonly timeoutMs: number;
  private readonly anchorBeats: number;
  private tempo: number | null = null;
  private playing: boolean | null = null;
  /** where beat 0 was (ms) as implied by each of the last beats, at the current tempo */
  private readonly anchors: number[] = [];
  private lastBeat: number | null = null;
  private lastHeardMs: number | null = null;
  private startedMs: number | null = null;
  private state: 'waiting' | 'here' | 'gone' = 'waiting';
  /** whether the silence was announced (so the answer is too) */
  private warned = false;

  constructor(options: AbletonClockOptions = {}) {
    super();
    this.where = options.where ?? 'Ableton Live';
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.anchorBeats = options.anchorBeats ?? 8;
  }

  /** Live's last tempo (BPM), or null before the first */
  get bpm(): number | null {
    return this.tempo;
  }

  /** whether Live's transport runs (null before Live said) */
  get isPlaying(): boolean | null {
    return this.playing;
  }

  /** whether Live answered within the timeout */
  get connected(): boolean {
    return this.state === 'here';
  }

  /** What to send when starting: a first poll (Live's first answer brings the subscriptions). */
  start(atMs: number): AbletonActions {
    this.startedMs = atMs;
    return { send: [POLL] };
  }

  /**
   * Called every few seconds: asks Live for its tempo, and says once when Live stopped answering
   * (or never answered).
   */
  poll(atMs: number): AbletonActions {
    const since = this.lastHeardMs ?? this.startedMs ?? atMs;
    if (atMs - since < this.timeoutMs) return { send: [POLL] };
    if (this.state === 'here') {
      this.state = 'gone';
      this.warned = true;
      this.forgetBeats();
      return { send: [POLL], warning: `${this.where} stopped answering: the show keeps Live's last tempo (${this.tempo ?? '?'} BPM) and follows again when it is back` };
    }
    if (this.state === 'waiting' && !this.warned) {
      this.warned = true;
      return { send: [POLL], warning: `${this.where} does not answer: is Live running with AbletonOSC selected as a Control Surface (docs/control.md)? The show plays on its own tempo meanwhile` };
    }
    return { send: [POLL] };
  }

  /**
   * One message from Live, arrived at `atMs`. Unknown addresses and bad arguments are ignored
   * (AbletonOSC answers other clients' questions to the latest client: they may land here).
   */
  handle(address: string, args: readonly OscArg[], atMs: number): AbletonActions {
    const actions = this.heardFrom(atMs);
    switch (address) {
      case TEMPO: this.tempoMessage(lastNumber(args)); break;
      case BEAT: case OLD_BEAT: this.beatMessage(lastNumber(args), atMs); break;
      case IS_PLAYING: this.playingMessage(args.at(-1)); break;
      default: break;
    }
    return actions;
  }

  /**
   * Live's first answer, or its first after going silent, brings the subscriptions: they are
   * lost when Live was not there yet or reloaded its control surfaces, and re-sending them is
   * harmless (AbletonOSC replaces a listener, and answers with the current value at once).
   */
  private heardFrom(atMs: number): AbletonActions {
    this.lastHeardMs = atMs;
    const before = this.state;
    this.state = 'here';
    if (before === 'here') return NOTHING;
    const warned = this.warned;
    this.warned = false;
    if (before === 'gone') return { send: SUBSCRIBE, warning: `${this.where} answers again: following its tempo and beat` };
    return warned ? { send: SUBSCRIBE, warning: `${this.where} answers: following its tempo and beat` } : { send: SUBSCRIBE };
  }

  private tempoMessage(bpm: number | undefined): void {
    if (bpm === undefined || !(bpm >= 20 && bpm <= 999)) return; // Live's own range
    if (bpm !== this.tempo) this.forgetBeats();
    this.tempo = bpm;
    this.reportLiveTempo();
  }

  private beatMessage(beat: number | undefined, atMs: number): void {
    if (beat === undefined || !Number.isFinite(beat)) return;
    const consecutive = this.lastBeat !== null && beat === this.lastBeat + 1;
    this.lastBeat = beat;
    if (this.tempo === null) {
      this.reportBeat(beat);
      return;
    }
    if (!consecutive) this.anchors.length = 0;
    const msPerBeat = 60_000 / this.tempo;
    this.anchors.push(atMs - beat * msPerBeat);
    if (this.anchors.length > this.anchorBeats) this.anchors.shift();
    const earliest = Math.min(...this.anchors);
    const reported = (atMs - earliest) / msPerBeat;
    this.reportBeat(reported);
    this.reportLiveTempo();
  }

  private playingMessage(arg: OscArg | undefined): void {
    const playing = truthy(arg);
    if (playing === undefined) return;
    if (playing !== this.playing) this.forgetBeats();
    this.playing = playing;
  }

  private reportLiveTempo(): void {
    if (this.tempo !== null) this.reportTempo(this.tempo);
  }

  private forgetBeats(): void {
    this.anchors.length = 0;
    this.lastBeat = null;
  }
}

/** The value of a getter's reply: the last number (AbletonOSC puts object ids before values). */
function lastNumber(args: readonly OscArg[]): number | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    const v = args[i]!.value;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** A boolean as Python's python-osc sends it (T/F) or as 0/1. */
function truthy(arg: OscArg | undefined): boolean | undefined {
  if (arg === undefined) return undefined;
  if (arg.type === 'T') return true;
  if (arg.type === 'F') return false;
  if (typeof arg.value === 'boolean') return arg.value;
  if (typeof arg.value === 'number') return arg.value !== 0;
  return undefined;
}
