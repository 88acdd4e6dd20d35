import type { Command, ImprintCommand, ModelRole, SourceName } from './commandSchema.js';

/**
 * What the live engine publishes for control surfaces and visuals. Types only (plus a log
 * helper): the engine fills them in, surfaces read them, and neither needs the other's code.
 * Times (`at`, `startedAt`) are seconds since the engine started, the same clock `--events`
 * scripts use, so a rehearsal's events and the engine's events can be lined up directly.
 * Documented in docs/commands.md ("State events").
 */

/** One value per model; `null` where the model is not in use (e.g. no picture model loaded). */
export interface PerModel<T> {
  readonly audio: T | null;
  readonly picture: T | null;
}

/** Running totals since the engine started; they only grow. */
export interface EngineCounters {
  /** times the audio output ran dry (heard as a gap) */
  readonly underruns: number;
  /** segments that were ready after their planned start time */
  readonly lateSegments: number;
  readonly segmentsGenerated: number;
  readonly segmentsPlayed: number;
  /** segments generated but never played (superseded by a command, or too late to use) */
  readonly droppedSegments: number;
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
  /** seconds since engine start when it began playing */
  readonly startedAt: number;
  readonly recipe: RecipeSummary;
}

/** The engine's state: what is playing and every setting a command can change. */
export interface EngineState {
  /** `null` before the first segment starts */
  readonly nowPlaying: NowPlaying | null;
  /** segments generated and waiting to play */
  readonly queueLength: number;
  readonly prompts: PerModel<string>;
  readonly guidance: PerModel<number>;
  /** master tempo; `null` = free (segments keep their natural length) */
  readonly tempoBpm: number | null;
  readonly seed: number;
  readonly mix: number;
  readonly source: SourceName;
  readonly preset: string | null;
  /** the imprint in effect, `null` when none */
  readonly imprint: Omit<ImprintCommand, 'type'> | null;
  readonly counters: EngineCounters;
}

/** Everything the engine publishes; `type` tells them apart, `at` is when it happened. */
export type EngineEvent =
  | { readonly type: 'state'; readonly at: number; readonly state: EngineState }
  | { readonly type: 'command-accepted'; readonly at: number; readonly command: Command }
  /** `input` is what was received, as far as it could be read, so a surface can show its mistake */
  | { readonly type: 'command-rejected'; readonly at: number; readonly reason: string; readonly input?: unknown }
  | {
      readonly type: 'segment-started';
      readonly at: number;
      readonly segmentId: number;
      readonly recipe: RecipeSummary;
      /** true when it started after its planned time (counted in `lateSegments`) */
      readonly late: boolean;
    }
  | { readonly type: 'warning'; readonly at: number; readonly message: string };

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
    case 'prompt':
      return `prompt ${command.model} ${quote(command.text)}`;
    case 'seed':
      return `seed ${command.value}`;
    case 'mix':
      return `mix ${command.value}`;
    case 'guidance':
      return `guidance ${command.model} ${command.value}`;
    case 'tempo':
      return `tempo ${command.bpm} bpm`;
    case 'preset':
      return `preset ${quote(command.name)}`;
    case 'source':
      return `source ${command.name}`;
    case 'imprint': {
      const what = command.text !== undefined ? `text ${quote(command.text)}` : `image ${quote(command.image)}`;
      return `imprint ${what}${command.strength !== undefined ? ` strength ${command.strength}` : ''}`;
    }
  }
}

function quote(s: string): string {
  return JSON.stringify(s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
}
