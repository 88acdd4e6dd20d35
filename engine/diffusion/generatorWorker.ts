import { parentPort } from 'node:worker_threads';
import { isUserError } from '../errors.js';
import { Generator, type GeneratorOptions } from './generator.js';
import type { SampleRequest } from './sampler.js';
import { runInBackground } from '../workers/backgroundPriority.js';

/** Worker side of GeneratorClient: owns the onnxruntime sessions, so inference never blocks the caller. */
export type GeneratorMessage =
  | { type: 'load'; options: Omit<GeneratorOptions, 'onWarning'> }
  | { type: 'generate'; id: number; request: Omit<SampleRequest, 'onStep' | 'signal'> }
  | { type: 'cancel'; id: number }
  | { type: 'dispose' };

export type GeneratorReply =
  | { type: 'loaded'; latentChannels: number }
  | { type: 'warning'; message: string }
  | { type: 'step'; id: number; step: number; total: number }
  | { type: 'result'; id: number; generation: import('./generator.js').Generation }
  | { type: 'error'; id: number; message: string; userError: boolean };

let generator: Generator | undefined;
const cancelled = new Set<number>();
// renders and writes give way to the audio thread (see runInBackground)
runInBackground();
const port = parentPort!;
const reply = (r: GeneratorReply) => port.postMessage(r);

port.on('message', async (msg: GeneratorMessage) => {
  if (msg.type === 'cancel') { cancelled.add(msg.id); return; }
  if (msg.type === 'dispose') { await generator?.dispose(); generator = undefined; port.close(); return; }
  const id = msg.type === 'generate' ? msg.id : -1;
  try {
    if (msg.type === 'load') {
      generator = await Generator.load({ ...msg.options, onWarning: (message) => reply({ type: 'warning', message }) });
      reply({ type: 'loaded', latentChannels: generator.latentChannels });
      return;
    }
    if (!generator) throw new Error('generator not loaded');
    const abort = new AbortController();
    const generation = await generator.generate({
      ...msg.request,
      signal: abort.signal,
      onStep: (step, total) => {
        if (cancelled.has(id)) abort.abort();
        reply({ type: 'step', id, step, total });
      },
    });
    reply({ type: 'result', id, generation });
  } catch (e) {
    reply({ type: 'error', id, message: e instanceof Error ? e.message : String(e), userError: isUserError(e) });
  } finally {
    cancelled.delete(id);
  }
});
