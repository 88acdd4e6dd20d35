import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Command } from '../../../control/protocol/commands.js';
import { UserError } from '../../errors.js';
import { spawnWorker } from '../../workers/spawnWorker.js';
import type { PlaybackOp } from '../playback/playback.js';
import type { Segment } from '../segment.js';
import type { RecorderReply, RecorderTask } from './recorderWorker.js';
import { JOURNAL, type JournalEntry, SEGMENTS, segmentFiles } from './sessionJournal.js';

/**
 * Records a performance (see sessionJournal.ts for the format). Encoding and writing happen in a
 * thread of their own, in order, so recording never takes time from the show; a write that fails
 * (disk full, folder gone) stops the recording with one warning and the show goes on.
 */
export class SessionRecorder {
  private stopped = false;
  private segments = 0;
  private readonly written = new Set<number>();
  /** audio already stored, by array: a segment with the same audio refers to the first one */
  private readonly stored = new WeakMap<Float32Array, number>();
  private closing: Promise<void> | undefined;
  private onClosed: (() => void) | undefined;

  private constructor(readonly dir: string, private readonly sampleRate: number, private readonly worker: Worker,
    private readonly onWarning: (message: string) => void, private readonly created: boolean) {}

  /** Creates DIR (it must not hold a session already) and the journal. @throws UserError naming the folder. */
  static async open(dir: string, sampleRate: number, onWarning: (message: string) => void): Promise<SessionRecorder> {
    const created = !existsSync(dir);
    try {
      mkdirSync(join(dir, SEGMENTS), { recursive: true });
    } catch (e) {
      throw new UserError(`${dir}: cannot create session folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const worker = spawnWorker(import.meta.url, 'recorderWorker');
    const first = await new Promise<RecorderReply>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage({ type: 'open', dir, journal: JOURNAL } satisfies RecorderTask);
    });
    if (first.type === 'failed') {
      await worker.terminate();
      if (created) rmSync(dir, { recursive: true, force: true });
      throw new UserError(`${join(dir, JOURNAL)}: ${first.code === 'EEXIST' ? 'a session is already recorded here; choose a new folder' : `cannot create (${first.code ?? first.message})`}`);
    }
    const recorder = new SessionRecorder(dir, sampleRate, worker, onWarning, created);
    worker.on('message', (r: RecorderReply) => recorder.receive(r));
    recorder.append({ type: 'session', version: 2, sampleRate, started: new Date().toISOString() });
    return recorder;
  }

  command(t: number, command: Command): void {
    this.append({ type: 'command', t, command });
  }

  /** An op the playback applied at `frame` (replayed at the same frame by `rehearse`). */
  playback(frame: number, op: PlaybackOp): void {
    this.append({ type: 'playback', frame, op });
  }

  segment(frame: number, segment: Segment, repeat: boolean): void {
    const audioOf = this.stored.get(segment.audio[0]);
    const owner = audioOf ?? segment.id;
    if (audioOf === undefined) this.stored.set(segment.audio[0], segment.id);
    const files = segmentFiles(owner);
    if (!this.written.has(owner)) {
      this.written.add(owner);
      // copies go to the recorder thread; the show keeps its own arrays
      this.post({ type: 'files', ...files, picture: segment.picture, audio: [segment.audio[0], segment.audio[1]], sampleRate: this.sampleRate });
    }
    this.segments++;
    this.append({
      type: 'segment', t: frame / this.sampleRate, frame, id: segment.id, repeat, ...files, recipe: segment.recipe,
      fittedBpm: segment.fittedBpm, ...(audioOf !== undefined && audioOf !== segment.id ? { audioOf } : {}),
    });
  }

  /** The show ended at this output frame (a rehearsal stops there too). */
  end(frame: number): void {
    this.append({ type: 'end', frame });
  }

  /** Waits for everything queued to be on disk, then closes the journal. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.onClosed = resolve;
      this.worker.postMessage({ type: 'close' } satisfies RecorderTask);
    }).then(() => this.worker.terminate()).then(() => undefined);
    return this.closing;
  }

  /**
   * Closes and removes the session folder when nothing was recorded in it and this recorder
   * created it: a show that failed to start leaves no half session that a retry would refuse.
   */
  async discardIfEmpty(): Promise<void> {
    await this.close();
    if (this.created && this.segments === 0) rmSync(this.dir, { recursive: true, force: true });
  }

  private append(entry: JournalEntry): void {
    this.post({ type: 'line', text: `${JSON.stringify(entry)}\n` });
  }

  private post(task: RecorderTask): void {
    if (this.stopped || this.closing) return;
    this.worker.postMessage(task);
  }

  private receive(r: RecorderReply): void {
    if (r.type === 'closed') this.onClosed?.();
    if (r.type === 'failed' && !this.stopped) {
      this.stopped = true;
      this.onWarning(`recording stopped (${r.message}); the performance goes on`);
    }
  }
}
