import { UserError } from '../errors.js';

/**
 * A `--seed` option value: a whole number from 0 to 2^32 - 1, else a UserError naming the option.
 * @example
 * parseSeed('42'); // 42
 */
export function parseSeed(raw: string, option = '--seed'): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > 2 ** 32 - 1) throw new UserError(`${option} ${JSON.stringify(raw)}: expected a whole number from 0 to 4294967295`);
  return n;
}
