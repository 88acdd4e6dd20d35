import type { Worker } from 'node:worker_threads';
import type { SinkStats } from '../../audio/audioSink.js';
import type { PortAudioSinkConfig } from '../../audio/portAudioSink.js';
import type { WavFileSinkConfig } from '../../audio/wavFileSink.js';
import { UserError } from '../../errors.js';
import { spawnWorker } from '../../workers/spawnWorker.js';
import type { PlaybackNote, PlaybackOp, PlaybackSegment, StartAt } from './playback.js';
import type { PlaybackHost } from './playbackHost.js';

export interface AudioThreadData {
  /** a sound card, or a file paced in real time (a simulated sound card) */
  readonly sink: ({ readonly kind: 'device' } & Partial<PortAudioSinkConfig>) | ({ readonly kind: 'wav' } & Partial<WavFileSinkConfig> & { readonly path: string });
  readonly crossfadeFrames?: number;
}

export type AudioThreadMessage =
  | { type: 'start' }
  | { type: 'run'; frames: number }
  | { type: 'enqueue'; segment: PlaybackSegment; at: StartAt; replace: boolean }
  | { type: 'at'; frame: number | 'asap'; op: PlaybackOp; tag: number }
  | { type: 'end' }
  | { type: 'stop' }
  | { type: 'close' };

export type AudioThreadReply =
  | { type: 'started'; outputLatency: number; device: string }
  | { type: 'failed'; message: string; userError: boolean }
  | { type: 'position'; filled: number; wallMs: number; stats: SinkStats; outputLatency: number }
  | { type: 'notes'; notes: readonly PlaybackNote[] }
  | { type: 'warning'; message: string }
  | { type: 'done' }
  | { type: 'closed'; stats: SinkStats };

/**
 * A {@link PlaybackHost} whose Playback and sink (a sound card, or a file paced in real time) run
 * in a worker thread (`audioThread.ts`).
 * Segments are copied to it (their `audioId` keeps repeats seamless); it reports its fill
 * position every 10 ms, which this side extrapolates on the wall clock between reports.
 */
export class ThreadedHost implements PlaybackHost {
  readonly offline = false;
  private readonly worker: Worker;
  private listener: (notes: readonly PlaybackNote[]) => void = () => {};
  private last = { filled: 0, wallMs: 0 };
  private heard = 0;
  private latency = 0;
  private sinkStats: SinkStats = { underflows: 0, framesWritten: 0, errors: 0 };
  private waiting: { resolve: () => void; reject: (e: Error) => void; on: AudioThreadReply['type'] } | undefined;
  private started = false;
  private closed: Promise<void> | undefined;

  constructor(readonly sampleRate: number, data: AudioThreadData, private readonly onWarning: (message: string) => void) {
    this.worker = spawnWorker(import.meta.url, 'audioThread');
    // workerData cannot go through spawnWorker's eval path: send it as the first message instead
    this.worker.postMessage({ type: 'init', data });
    this.worker.on('message', (r: AudioThreadReply) => this.receive(r));
    this.worker.on('error', (e) => this.fail(new Error(`audio thread failed: ${e.message}`)));
  }

  get outputLatency(): number {
    return this.latency;
  }

  filledFrame(): number {
    const elapsed = performance.timeOrigin + performance.now() - this.last.wallMs;
    // extrapolate at most 50 ms: past that the thread is late, and the report will say so
    return this.last.filled + Math.round(Math.min(Math.max(0, elapsed), 50) * this.sampleRate / 1000);
  }

  heardFrame(): number {
    this.heard = Math.max(this.heard, this.filledFrame() - Math.round(this.latency * this.sampleRate));
    return this.heard;
  }

  enqueue(segment: PlaybackSegment, at: StartAt, replace: boolean): void {
    this.post({ type: 'enqueue', segment, at, replace });
  }

  at(frame: number | 'asap', op: PlaybackOp, tag = 0): void {
    this.post({ type: 'at', frame, op, tag });
  }

  end(): void {
    this.post({ type: 'end' });
  }

  onNotes(listener: (notes: readonly PlaybackNote[]) => void): void {
    this.listener = listener;
  }

  async run(frames: number): Promise<void> {
    if (!this.started) {
      await this.request({ type: 'start' }, 'started');
      this.started = true;
    }
    await this.request({ type: 'run', frames }, 'done');
  }

  stop(): void {
    this.post({ type: 'stop' });
  }

  stats(): SinkStats {
    return this.sinkStats;
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      try {
        await this.request({ type: 'close' }, 'closed');
      } catch {
        // the thread is gone already: nothing left to release
      }
      await this.worker.terminate();
    })();
    return this.closed;
  }

  private post(m: AudioThreadMessage): void {
    this.worker.postMessage(m);
  }

  private request(m: AudioThreadMessage, on: AudioThreadReply['type']): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting = { resolve, reject, on };
      this.post(m);
    });
  }

  private receive(r: AudioThreadReply): void {
    switch (r.type) {
      case 'position':
        this.last = { filled: r.filled, wallMs: r.wallMs };
        this.sinkStats = r.stats;
        this.latency = r.outputLatency;
        return;
      case 'notes': this.listener(r.notes); return;
      case 'warning': this.onWarning(r.message); return;
      case 'failed': this.fail(r.userError ? new UserError(r.message) : new Error(r.message)); return;
      case 'started': this.latency = r.outputLatency; break;
      case 'closed': this.sinkStats = r.stats; break;
      case 'done': break;
    }
    if (this.waiting?.on === r.type) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve();
    }
  }

  private fail(e: Error): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w.reject(e);
    else this.onWarning(e.message);
  }
}
