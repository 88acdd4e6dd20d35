import { parentPort } from 'node:worker_threads';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { writePng } from '../../io/png.js';
import { writeWav } from '../../io/wav.js';
import { runInBackground } from '../../workers/backgroundPriority.js';

/** What the recorder thread is asked to do, in order. */
export type RecorderTask =
  | { type: 'open'; dir: string; journal: string }
  | { type: 'files'; png: string; wav: string; picture: { width: number; height: number; rgb: Uint8Array };
      audio: [Float32Array, Float32Array]; sampleRate: number }
  | { type: 'line'; text: string }
  | { type: 'close' };

export type RecorderReply = { type: 'opened' } | { type: 'failed'; message: string; code?: string } | { type: 'closed' };

/**
 * The recorder's thread: PNG and WAV encoding, appends and fsyncs happen here, never on the
 * thread that steers the show. Tasks run strictly in order; after a failure the rest are skipped.
 */
// renders and writes give way to the audio thread (see runInBackground)
runInBackground();
const port = parentPort!;
let dir = '';
let journal: FileHandle | undefined;
let failed = false;
let queue: Promise<void> = Promise.resolve();

port.on('message', (task: RecorderTask) => {
  queue = queue.then(() => run(task));
});

async function run(task: RecorderTask): Promise<void> {
  if (task.type === 'close') {
    await journal?.close().catch(() => undefined);
    journal = undefined;
    port.postMessage({ type: 'closed' } satisfies RecorderReply);
    return;
  }
  if (failed) return;
  try {
    switch (task.type) {
      case 'open':
        dir = task.dir;
        journal = await open(join(dir, task.journal), 'wx');
        port.postMessage({ type: 'opened' } satisfies RecorderReply);
        break;
      case 'files':
        writePng(join(dir, task.png), task.picture);
        writeWav(join(dir, task.wav), task.audio, task.sampleRate, 'float32');
        break;
      case 'line':
        await journal!.appendFile(task.text);
        await journal!.datasync();
        break;
    }
  } catch (e) {
    failed = true;
    port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e), code: (e as NodeJS.ErrnoException).code } satisfies RecorderReply);
  }
}
