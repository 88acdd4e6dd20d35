import { mkdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from '../../../control/commands/commandSchema.js';
import { UserError } from '../../errors.js';
import { writePng } from '../../io/png.js';
import { writeWav } from '../../io/wav.js';
import type { Segment } from '../segment.js';
import { JOURNAL, type JournalEntry, SEGMENTS, segmentFiles } from './sessionJournal.js';

/**
 * Records a performance (see sessionJournal.ts for the format). Writes happen in the background in
 * order, off the audio path; a write that fails (disk full, folder gone) stops the recording with
 * one warning and the show goes on.
 */
export class SessionRecorder {
  private journal: FileHandle | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly written = new Set<number>();
  /** audio already stored, by array: a segment with the same audio refers to the first one */
  private readonly stored = new WeakMap<Float32Array, number>();

  private constructor(readonly dir: string, private readonly sampleRate: number, private readonly onWarning: (message: string) => void) {}

  static async open(dir: string, sampleRate: number, onWarning: (message: string) => void): Promise<SessionRecorder> {
    try {
      mkdirSync(join(dir, SEGMENTS), { recursive: true });
    } catch (e) {
      throw new UserError(`${dir}: cannot create session folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const recorder = new SessionRecorder(dir, sampleRate, onWarning);
    try {
      recorder.journal = await open(join(dir, JOURNAL), 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`${join(dir, JOURNAL)}: ${code === 'EEXIST' ? 'a session is already recorded here; choose a new folder' : `cannot create (${code})`}`);
    }
    recorder.append({ type: 'session', version: 1, sampleRate, started: new Date().toISOString() });
    return recorder;
  }

  command(t: number, command: Command): void {
    this.append({ type: 'command', t, command });
  }

  segment(t: number, segment: Segment, repeat: boolean): void {
    const audioOf = this.stored.get(segment.audio[0]);
    const owner = audioOf ?? segment.id;
    if (audioOf === undefined) this.stored.set(segment.audio[0], segment.id);
    const files = segmentFiles(owner);
    const first = !this.written.has(owner);
    this.written.add(owner);
    this.enqueue(async () => {
      if (first) {
        writePng(join(this.dir, files.png), segment.picture);
        writeWav(join(this.dir, files.wav), [segment.audio[0], segment.audio[1]], this.sampleRate, 'float32');
      }
    });
    this.append({ type: 'segment', t, id: segment.id, repeat, ...files, recipe: segment.recipe, ...(audioOf !== undefined && audioOf !== segment.id ? { audioOf } : {}) });
  }

  /** Waits for everything queued, then closes the journal. */
  async close(): Promise<void> {
    await this.queue;
    await this.journal?.close().catch(() => undefined);
    this.journal = undefined;
  }

  private append(entry: JournalEntry): void {
    this.enqueue(async () => {
      const journal = this.journal;
      if (!journal) return;
      await journal.appendFile(`${JSON.stringify(entry)}\n`);
      await journal.datasync();
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await task();
      } catch (e) {
        this.stopped = true;
        this.onWarning(`recording stopped (${e instanceof Error ? e.message : String(e)}); the performance goes on`);
        await this.journal?.close().catch(() => undefined);
        this.journal = undefined;
      }
    });
  }
}
