import { parentPort } from 'node:worker_threads';
import { type SolveJob, SolverContext, abortBarrier, atomicsBarrier, runSolve } from './solveJob.js';
import { runInBackground } from '../workers/backgroundPriority.js';

/** Worker entry: runs its share of each SolveJob it is sent and reports back. */
export interface SolveMessage {
  readonly job: SolveJob;
  readonly index: number;
  readonly count: number;
  readonly barrier: Int32Array;
}

// renders and writes give way to the audio thread (see runInBackground)
runInBackground();
const ctx = new SolverContext();
parentPort!.on('message', (msg: SolveMessage) => {
  try {
    runSolve(msg.job, ctx, msg.index, msg.count, atomicsBarrier(msg.barrier, msg.count));
    parentPort!.postMessage({ ok: true });
  } catch (e) {
    abortBarrier(msg.barrier);
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
