import type { AudioSink, SinkStats } from '../../audio/audioSink.js';
import { Playback, type PlaybackNote, type PlaybackOp, type PlaybackSegment, type StartAt } from './playback.js';
import type { PlaybackHost } from './playbackHost.js';

export interface InlineHostOptions {
  readonly sink: AudioSink;
  readonly crossfadeFrames?: number;
  /** the sink is a file written as fast as possible */
  readonly offline: boolean;
}

/**
 * A {@link PlaybackHost} on this thread: fills a chunk, hands it to the sink, reports the chunk's
 * notes, repeats. Used for files and tests (and inside the audio thread, by `audioThread.ts`).
 */
export class InlineHost implements PlaybackHost {
  readonly playback: Playback;
  readonly sampleRate: number;
  readonly offline: boolean;
  private readonly sink: AudioSink;
  private listener: (notes: readonly PlaybackNote[]) => void = () => {};
  /** false once stop() or close() was called: a stopped host does not run again */
  private running = true;
  private started = false;

  constructor(options: InlineHostOptions) {
    this.sink = options.sink;
    this.sampleRate = options.sink.sampleRate;
    this.offline = options.offline;
    this.playback = new Playback({ sampleRate: this.sampleRate, ...(options.crossfadeFrames !== undefined ? { crossfadeFrames: options.crossfadeFrames } : {}) });
  }

  get outputLatency(): number {
    return this.sink.outputLatency;
  }

  filledFrame(): number {
    return this.playback.frame;
  }

  heardFrame(): number {
    // the sink's position, from this side of the writes (the chunk being filled is not written yet)
    return Math.min(this.playback.frame, this.sink.position().frame);
  }

  enqueue(segment: PlaybackSegment, at: StartAt, replace: boolean): void {
    this.playback.enqueue(segment, at, replace);
  }

  at(frame: number | 'asap', op: PlaybackOp, tag = 0): void {
    this.playback.at(frame === 'asap' ? this.playback.frame : frame, op, tag);
  }

  end(): void {
    this.playback.end();
  }

  onNotes(listener: (notes: readonly PlaybackNote[]) => void): void {
    this.listener = listener;
  }

  /** Opens the output (once); `run` does it when needed. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.sink.start();
  }

  async run(frames: number, beforeChunk?: () => Promise<void>): Promise<void> {
    const sink = this.sink;
    await this.start();
    const chunk = new Float32Array(sink.framesPerChunk * sink.channels);
    while (this.running && this.playback.frame < frames) {
      if (beforeChunk) await beforeChunk();
      if (!this.running) break;
      this.playback.fill(chunk, sink.framesPerChunk);
      const notes = this.playback.notes;
      this.playback.notes = [];
      await sink.write(chunk);
      if (notes.length > 0) this.listener(notes);
    }
  }

  stop(): void {
    this.running = false;
  }

  stats(): SinkStats {
    return this.sink.stats;
  }

  async close(): Promise<void> {
    this.running = false;
    await this.sink.close();
  }
}
