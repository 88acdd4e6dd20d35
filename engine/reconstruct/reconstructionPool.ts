import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawnWorker.js';
import type { SolveMessage } from './griffinLimWorker.js';
import { ABORTED, type SolveJob, SolverContext, abortBarrier, atomicsBarrier, runSolve } from './solveJob.js';

/** More threads than this only adds barrier overhead (and would let a typo start thousands). */
export const MAX_THREADS = 64;

export interface ReconstructionPoolOptions {
  /** worker threads; 0 runs every job on the calling thread. Default: all cores, at most 4. */
  readonly threads?: number;
}

/**
 * Worker threads that share each phase-reconstruction job (frames and samples split between them,
 * synchronised with Atomics barriers), so one clip uses every core and the caller's event loop
 * stays free. Create once, reuse for every clip, `dispose()` when done.
 */
export class ReconstructionPool {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly inline = new SolverContext();
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(options: ReconstructionPoolOptions = {}) {
    this.threads = options.threads ?? Math.min(4, availableParallelism());
    if (!Number.isInteger(this.threads) || this.threads < 0 || this.threads > MAX_THREADS) {
      throw new RangeError(`threads must be a whole number from 0 to ${MAX_THREADS}, got ${this.threads}`);
    }
    for (let i = 0; i < this.threads; i++) this.workers.push(spawnGriffinLimWorker());
  }

  /** Runs `job`; jobs are serialised because they all use every worker. */
  solve(job: SolveJob): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('ReconstructionPool is disposed'));
    const run = this.queue.then(() => this.runNow(job));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runNow(job: SolveJob): Promise<void> {
    // a job queued behind one that was running when dispose() came must not start
    if (this.disposed) throw new Error('ReconstructionPool is disposed');
    const barrier = new Int32Array(new SharedArrayBuffer(12));
    if (this.workers.length === 0) {
      runSolve(job, this.inline, 0, 1, atomicsBarrier(barrier, 1));
      return;
    }
    const count = this.workers.length;
    // Idle workers are unref'd so they never keep the process alive; a running job must.
    for (const w of this.workers) w.ref();
    try {
      await this.dispatch(job, barrier, count);
    } finally {
      for (const w of this.workers) w.unref();
    }
  }

  /**
   * Waits for every worker's answer, even after one has failed: a reply still in flight would
   * otherwise be taken for the next job's.
   */
  private async dispatch(job: SolveJob, barrier: Int32Array, count: number): Promise<void> {
    const results = await Promise.allSettled(this.workers.map((w, index) => new Promise<void>((resolve, reject) => {
      const settle = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (r: { ok: boolean; error?: string }) => {
        settle();
        if (r.ok) resolve(); else reject(new Error(`phase reconstruction failed: ${r.error}`));
      };
      const onError = (e: Error) => {
        settle();
        abortBarrier(barrier);
        // a worker that died is replaced, so the next job has a full pool
        if (!this.disposed) this.workers[index] = spawnGriffinLimWorker();
        reject(new Error(`phase reconstruction worker crashed: ${e.message}`));
      };
      // terminate() (dispose during a job) ends a worker with 'exit' and no 'error'
      const onExit = (code: number) => {
        settle();
        abortBarrier(barrier);
        if (!this.disposed) this.workers[index] = spawnGriffinLimWorker();
        reject(new Error(this.disposed ? 'ReconstructionPool was disposed during a job' : `phase reconstruction worker exited (code ${code})`));
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      const msg: SolveMessage = { job, index, count, barrier };
      w.postMessage(msg);
    })));
    // report the thread that failed first-hand, not those that stopped because it did
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
    if (failures.length > 0) throw failures.find((e) => !e.message.includes(ABORTED)) ?? failures[0];
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

function spawnGriffinLimWorker(): Worker {
  const worker = spawnWorker(import.meta.url, 'griffinLimWorker');
  worker.unref();
  return worker;
}
