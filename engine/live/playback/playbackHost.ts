import type { SinkStats } from '../../audio/audioSink.js';
import type { PlaybackNote, PlaybackOp, PlaybackSegment, StartAt } from './playback.js';

/**
 * Where a show's {@link Playback} runs, seen from the engine: inline on this thread (files,
 * tests: deterministic, offline as fast as possible) or in an audio thread of its own (a sound
 * card: nothing the main thread does can delay the audio, so the output queue can be short and
 * instant controls are heard within milliseconds). The engine talks to both the same way:
 * timestamped operations in, notes (what started or was applied at which frame) out.
 */
export interface PlaybackHost {
  readonly sampleRate: number;
  /** offline: a file rendered as fast as possible (the engine then waits for renders instead of repeating) */
  readonly offline: boolean;
  /** Seconds from the fill position to what is heard (the sink's output latency). */
  readonly outputLatency: number;
  /** The fill position: frames the playback has produced, as far as this thread can tell now. */
  filledFrame(): number;
  /** The frame being heard now: the fill position less the output latency (never goes back). */
  heardFrame(): number;
  enqueue(segment: PlaybackSegment, at: StartAt, replace: boolean): void;
  /** Apply `op` at `frame`, or as soon as possible ('asap': the next chunk). */
  at(frame: number | 'asap', op: PlaybackOp, tag?: number): void;
  end(): void;
  /** Called with the notes of each chunk, after the chunk was handed to the sink. */
  onNotes(listener: (notes: readonly PlaybackNote[]) => void): void;
  /**
   * Plays until `frames` have been filled or `stop()`. `beforeChunk` (inline only) may delay the
   * next chunk: offline runs wait there for renders.
   */
  run(frames: number, beforeChunk?: () => Promise<void>): Promise<void>;
  stop(): void;
  stats(): SinkStats;
  /** Releases the output (waits for what was written to be played). Idempotent. */
  close(): Promise<void>;
}
