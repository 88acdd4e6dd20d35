import type { Command, ModelRole, Quantum, SourceName } from './commands.js';
import type { VisualState } from './visualState.js';

/**
 * What a show publishes for control surfaces and visuals. Types only (plus a log helper): the
 * engine fills them in, surfaces read them, and neither needs the other's code.
 *
 * Time: the one clock is the audio output's played position. `frame` is a sample index on the
 * output timeline (frame 0 = the first sample played); `at` is the same instant in seconds
 * (`frame / sampleRate`). An event's `at` is when it is HEARD: for a sound card that includes the
 * output latency, for a WAV file it is the sample's time in the file. `--events` scripts use the
 * same seconds, so a rehearsal's events and the show's can be lined up directly.
 * Documented in docs/commands.md ("State and events").
 */

/** One value per model; `null` where the model is not in use (e.g. no picture model loaded). */
export interface PerModel<T> {
  readonly audio: T | null;
  readonly picture: T | null;
}

/** An RGB picture (3 bytes per pixel, rows top to bottom). */
export interface Picture {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** Where a moment falls in the music. */
export interface MusicalPosition {
  /** 1-based bar */
  readonly bar: number;
  /** 1-based beat within the bar */
  readonly beat: number;
}

/** Running totals since the show started; they only grow. */
export interface EngineCounters {
  /** times the audio output ran dry (heard as a gap), including time lost with a failed device */
  readonly underruns: number;
  /**
   * of those, the ones the sound card reported while Synesthete's own queue held audio: its
   * driver's buffer ran dry (PortAudio, ALSA, the audio server were late), not the show
   */
  readonly deviceUnderruns: number;
  /** boundaries where the current segment played again because the next one was not ready */
  readonly lateRepeats: number;
  readonly segmentsGenerated: number;
  readonly segmentsPlayed: number;
  /** renders cancelled or thrown away because a newer command superseded them */
  readonly supersededRenders: number;
  /** renders that failed (the show kept playing what it had) */
  readonly failedRenders: number;
  /** generator workers restarted after a crash */
  readonly workerRestarts: number;
}

/** Enough of a segment's recipe to show what is playing, without the engine's internals. */
export interface RecipeSummary {
  readonly source: SourceName;
  /** the preset the recipe came from, if any */
  readonly preset: string | null;
  readonly prompts: PerModel<string>;
  readonly seed: number;
  /** one line for a display, e.g. `waltz: "steady beat" / "oil painting", seed 42` */
  readonly description: string;
}

export interface NowPlaying {
  /** increases by one per generated segment, so surfaces can tell a new segment from a repeat */
  readonly segmentId: number;
  /** seconds (heard) when it began playing */
  readonly startedAt: number;
  readonly startFrame: number;
  readonly recipe: RecipeSummary;
}

export interface TransportState {
  readonly bpm: number;
  readonly beatsPerBar: number;
  /** the position being heard */
  readonly bar: number;
  readonly beat: number;
  /** 0..1 within the beat */
  readonly phase: number;
  /** internal, tap, or external:<name> */
  readonly clockSource: string;
  /** when generative changes switch in */
  readonly quantize: Quantum;
}

/** The instant controls (applied to the audio within a chunk, never re-rendered). */
export interface InstantState {
  readonly gain: number;
  readonly filter: number;
  readonly freeze: boolean;
}

/** Is the show keeping up? */
export interface HealthState {
  /** seconds of audio rendered and waiting to be played */
  readonly aheadSeconds: number;
  /** wall-clock seconds the last render took; null before the first */
  readonly lastRenderSeconds: number | null;
  readonly lateRepeats: number;
  readonly failedRenders: number;
  readonly supersededRenders: number;
  readonly underruns: number;
  /** the projector outputs (`/output` pages) connected now and their frame pacing; null: none */
  readonly projector: ProjectorHealth | null;
  /** listen mode's input (`perform --listen`), updated about once a second; null: not listening */
  readonly listen: ListenHealth | null;
}

/** Whether the music to show is coming in: the first thing to check at a venue. */
export interface ListenHealth {
  /** the input's device name */
  readonly device: string;
  /** the loudest sample of the last second, dBFS rounded to whole dB; null: digital silence */
  readonly peakDb: number | null;
  /** a sample of the last second reached full scale (0.999): the record out is too hot */
  readonly clipping: boolean;
  /** seconds the input has been below the spectrogram's floor (about -50 dB) without a break */
  readonly quietSeconds: number;
  /** audio lost because the reader fell behind the device, since listening started */
  readonly overflows: number;
  /** times the input failed or stalled (it is reopened), since listening started */
  readonly errors: number;
}

/** What the projector pages report about themselves (every 2 s), summed over the pages. */
export interface ProjectorHealth {
  /** `/output` pages connected */
  readonly outputs: number;
  /** frames drawn since each page started */
  readonly frames: number;
  /** display refreshes that passed with no frame drawn */
  readonly skippedFrames: number;
  /** the slowest page's mean time to draw a frame, ms */
  readonly drawMeanMs: number;
}

/** The show's state: what is playing and every setting a command can change. */
export interface EngineState {
  /** the output frame being heard now */
  readonly frame: number;
  /** `null` before the first segment starts */
  readonly nowPlaying: NowPlaying | null;
  /** segments rendered and waiting to play */
  readonly queueLength: number;
  readonly prompts: PerModel<string>;
  readonly guidance: PerModel<number>;
  /** tempo the segments are fitted to; `null` = free (segments keep their natural length) */
  readonly tempoBpm: number | null;
  readonly seed: number;
  readonly mix: number;
  readonly source: SourceName;
  readonly preset: string | null;
  /** the imprint in effect, `null` when none */
  readonly imprint: { readonly text?: string; readonly image?: string; readonly strength?: number } | null;
  readonly transport: TransportState;
  readonly instant: InstantState;
  readonly health: HealthState;
  readonly counters: EngineCounters;
  /** the projector's look and effects (they change no sound) */
  readonly visuals: VisualState;
}

/** Which surface a command came from (listed in run summaries). */
export type Surface = 'events' | 'osc' | 'web' | 'midi' | 'api';

/** Fields every event has: when it is heard. */
export interface Stamp {
  /** seconds on the output clock (heard) */
  readonly at: number;
  readonly frame: number;
  readonly position: MusicalPosition;
}

/** Everything the show publishes; `type` tells them apart. */
export type EngineEvent =
  | (Stamp & { readonly type: 'state'; readonly state: EngineState })
  | (Stamp & { readonly type: 'command-accepted'; readonly command: Command; readonly surface: Surface })
  /** `input` is what was received, as far as it could be read, so a surface can show its mistake */
  | (Stamp & { readonly type: 'command-rejected'; readonly reason: string; readonly input?: unknown; readonly surface: Surface })
  /**
   * A segment is rendered and queued: its picture can be uploaded now. `startFrame` is when it will
   * be heard if nothing changes before then (null while frozen or unknown).
   */
  | (Stamp & {
      readonly type: 'segment-ready';
      readonly segmentId: number;
      readonly picture: Picture;
      readonly recipe: RecipeSummary;
      /** whole bars it was fitted to, or null when free */
      readonly bars: number | null;
      /** length in output frames at the current tempo */
      readonly frames: number;
      readonly startFrame: number | null;
    })
  /** a segment starts being heard at `frame` (`repeat`: it loops again, late or frozen) */
  | (Stamp & {
      readonly type: 'segment-started';
      readonly segmentId: number;
      readonly recipe: RecipeSummary;
      readonly repeat: boolean;
      readonly frozen: boolean;
    })
  | (Stamp & { readonly type: 'warning'; readonly message: string })
  | ListenEvent;

/**
 * Listen mode (`perform --listen`, docs/visuals.md "Listen mode"): the spectrogram of the audio
 * coming IN (a DJ mixer's record out), as it arrives, for the projector to draw in real time.
 * About 25 events a second, each with the columns completed since the one before (4 at 100
 * columns/s). Columns are in Riffusion's image format, the same as a segment picture's columns:
 * one column per 10 ms hop, `height` rows (512 mel bins, 0-10 kHz), row 0 the HIGHEST frequency,
 * 8-bit pixel values with 255 = silent (white) and 0 = loudest (black), normalised by the loudest
 * column of the last 5.12 s (one picture's width). Mono (the input's channels mixed).
 *
 * The stamp (`at`, `frame`, `position`) is the output clock when the columns were published; the
 * newest column's sound reached the input `latency` seconds earlier. Input and output are not
 * sample-locked: draw the newest column at "now" (a live edge), not against the playhead.
 */
export type ListenEvent = Stamp & {
  readonly type: 'listen';
  /** index of the first column here, counted from the start of listening (gapless: the next event starts at firstColumn + count) */
  readonly firstColumn: number;
  /** columns in this event */
  readonly count: number;
  /** bytes per column: the mel rows (512) */
  readonly height: number;
  /** base64 of count x height bytes, column after column, each column's rows top (high) to bottom (low) */
  readonly columns: string;
  /** columns per second of input audio (100) */
  readonly columnsPerSecond: number;
  /** seconds from the newest column's sound (its centre) at the input to this event: input latency + half a window (50 ms) + waiting for the batch */
  readonly latency: number;
};

export type EngineEventType = EngineEvent['type'];

/** Longest text kept in a log line; prompts can be 500 characters. */
const MAX_TEXT = 60;

/**
 * A one-line rendering of a command for logs and status lines, e.g. `prompt audio "steady beat"`,
 * `tempo 120 bpm`, `imprint image "photos/sea.png" strength 0.4`. Strings are JSON-quoted so a
 * newline in a prompt cannot break the line.
 */
export function describeCommand(command: Command): string {
  switch (command.type) {
    case 'prompt': return `prompt ${command.model} ${quote(command.text)}`;
    case 'guidance': return `guidance ${command.model} ${command.value}`;
    case 'seed': case 'mix': case 'gain': case 'filter': case 'quantize': return `${command.type} ${command.value}`;
    case 'tempo': return `tempo ${command.bpm} bpm`;
    case 'meter': return `meter ${command.beats} beats per bar`;
    case 'nudge': return `nudge ${command.beats} beats`;
    case 'tap': case 'resync': return command.type;
    case 'freeze': return `freeze ${command.on ? 'on' : 'off'}`;
    case 'blackout': return `blackout ${command.on ? 'on' : 'off'}`;
    case 'look': return `look ${command.name}`;
    case 'visual': return `visual ${command.name} ${typeof command.value === 'string' ? quote(command.value) : command.value}`;
    case 'preset': return `preset ${quote(command.name)}`;
    case 'source': return `source ${command.name}`;
    case 'imprint': {
      const what = command.text !== undefined ? ` text ${quote(command.text)}` : command.image !== undefined ? ` image ${quote(command.image)}` : '';
      return `imprint${what}${command.strength !== undefined ? ` strength ${command.strength}` : ''}`;
    }
  }
}

function quote(s: string): string {
  return JSON.stringify(s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
}

export type { ModelRole };
