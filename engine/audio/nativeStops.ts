/**
 * Bookkeeping for naudiodon calls that may never return, and small helpers for waiting on them.
 * Kept apart from the sink because the consequence is process-wide (see {@link pendingNativeStops}).
 */

let pending = 0;

/**
 * naudiodon stream stops (`quit`) that have not returned, across all sinks in this process.
 *
 * A stop on a device that died never returns and keeps a libuv pool thread blocked. For the
 * process that means: `process.exit()` hangs while this is non-zero, because libuv joins its pool
 * threads at exit (end the process with a signal instead); and each such loss permanently takes
 * one of the pool's threads (4 by default, shared with fs, dns, zlib and crypto), so a long show
 * should raise `UV_THREADPOOL_SIZE` before the pool is first used.
 */
export function pendingNativeStops(): number {
  return pending;
}

/** Count `stop` as pending until it settles; returns a promise that never rejects. */
export function trackNativeStop(stop: Promise<void>): Promise<void> {
  pending++;
  return stop.then(
    () => void pending--,
    () => void pending--,
  );
}

/** Whether `p` settles (either way) within `ms` milliseconds; the timer is cleared either way. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** naudiodon reports statuses as strings and failures as Errors; callers may throw anything. */
export function errorText(e: unknown): string {
  return typeof e === 'string' ? e.trim() : e instanceof Error ? e.message : String(e);
}
