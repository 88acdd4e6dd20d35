/** Signals that end a command from outside: Ctrl-C, `kill`, a closed terminal. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `cleanup` if the process is interrupted before the returned release function is called,
 * then lets the signal end the process as it would have (exit status 128 + signal). A `finally`
 * does not run when a signal kills the process, so temporary files need this to be removed.
 * `cleanup` must be synchronous and must not throw.
 *
 * @returns release: call it (in a `finally`) once the work is done and its own cleanup has run
 * @example
 * const release = cleanupOnSignal(() => rmSync(partial, { force: true }));
 * try { await work(partial); } finally { release(); rmSync(partial, { force: true }); }
 */
export function cleanupOnSignal(cleanup: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    release();
    try {
      cleanup();
    } finally {
      // Nothing else listens now: re-raising ends the process the way the signal meant to.
      process.kill(process.pid, signal);
    }
  };
  const release = () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return release;
}
