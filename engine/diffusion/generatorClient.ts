import type { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { spawnWorker } from '../workers/spawnWorker.js';
import type { Generation, GeneratorOptions } from './generator.js';
import type { GeneratorMessage, GeneratorReply } from './generatorWorker.js';
import type { SampleRequest } from './sampler.js';

/**
 * Runs a Generator in a worker thread: onnxruntime's `run()` blocks its thread for a whole UNet
 * step, so the caller (CLI progress bar, live player) must not host it. One generation at a time.
 */
export class GeneratorClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (g: Generation) => void; reject: (e: Error) => void; onStep?: SampleRequest['onStep'] }>();
  private failure: Error | undefined;

  /** true once the worker has died: every later generation fails; start a new client */
  get crashed(): boolean {
    return this.failure !== undefined;
  }
  /** generations run one after another: they share the worker's sampler and its buffers */
  private queue: Promise<unknown> = Promise.resolve();
  /** latent channels of the loaded audio model (4 for SD 1.x) */
  latentChannels = 4;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: GeneratorReply) => this.onReply(r));
    worker.on('error', (e) => this.failAll(new Error(`generator worker crashed: ${e.message}`)));
    worker.on('exit', (code) => { if (code !== 0) this.failAll(new Error(`generator worker exited with code ${code}`)); });
  }

  static async start(options: GeneratorOptions): Promise<GeneratorClient> {
    const worker = spawnWorker(import.meta.url, 'generatorWorker');
    const client = new GeneratorClient(worker);
    const { onWarning, ...rest } = options;
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`generator worker exited (code ${code}) while loading models`));
      const onMessage = (r: GeneratorReply) => {
        if (r.type === 'warning') { onWarning?.(r.message); return; }
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        if (r.type === 'loaded') { client.latentChannels = r.latentChannels; resolve(); }
        else if (r.type === 'error') reject(r.userError ? new UserError(r.message) : new Error(r.message));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', onExit);
      client.send({ type: 'load', options: rest });
    }).catch(async (e: unknown) => {
      await worker.terminate();
      throw e;
    });
    return client;
  }

  generate(request: SampleRequest): Promise<Generation> {
    const run = this.queue.then(() => this.run(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(request: SampleRequest): Promise<Generation> {
    if (this.failure) throw this.failure;
    const { onStep, signal, ...plain } = request;
    if (signal?.aborted) throw new Error('generation abandoned');
    const id = this.nextId++;
    const cancel = () => this.send({ type: 'cancel', id });
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await new Promise<Generation>((resolve, reject) => {
        this.pending.set(id, { resolve, reject, ...(onStep ? { onStep } : {}) });
        this.send({ type: 'generate', id, request: plain });
      });
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  async dispose(): Promise<void> {
    this.send({ type: 'dispose' });
    await this.worker.terminate();
  }

  private send(msg: GeneratorMessage): void {
    this.worker.postMessage(msg);
  }

  private onReply(r: GeneratorReply): void {
    if (r.type === 'loaded' || r.type === 'warning') return;
    const p = this.pending.get(r.id);
    if (!p) return;
    if (r.type === 'step') { p.onStep?.(r.step, r.total); return; }
    this.pending.delete(r.id);
    if (r.type === 'result') p.resolve(r.generation);
    else p.reject(r.userError ? new UserError(r.message) : new Error(r.message));
  }

  private failAll(e: Error): void {
    this.failure = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
