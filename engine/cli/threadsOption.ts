import { UserError } from '../errors.js';
import { MAX_THREADS } from '../reconstruct/reconstructionPool.js';

/** `--threads N`: a whole number from 0 (main thread) to MAX_THREADS; undefined = the pool's default. */
export function parseThreads(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value > MAX_THREADS) {
    throw new UserError(`--threads ${JSON.stringify(raw)}: expected a whole number from 0 to ${MAX_THREADS}`);
  }
  return value;
}
