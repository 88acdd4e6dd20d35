import { UserError } from '../errors.js';
import { DEFAULT_BUFFER_MS, DEFAULT_PACED_FILE_BUFFER_MS } from '../show/openShow.js';

/**
 * `--buffer MS` as a show output field; one line naming the option when it is not 15 to 500, or
 * when the output has no queue (a file rendered as fast as possible).
 */
export function bufferOption(raw: string | undefined, realtime = true): { bufferMs?: number } {
  if (raw === undefined) return {};
  if (!realtime) throw new UserError('--buffer sets a real-time output queue: a --wav file without --realtime has none (add --realtime, or leave --buffer out)');
  const ms = Number(raw);
  if (!(ms >= 15 && ms <= 500)) throw new UserError(`--buffer ${JSON.stringify(raw)}: expected a number of milliseconds from 15 to 500`);
  return { bufferMs: ms };
}

/** `--buffer`'s help, shared by perform and rehearse. */
export const BUFFER_HELP = `output queue in ms, 15 to 500 (default ${DEFAULT_BUFFER_MS} for a sound card, ${DEFAULT_PACED_FILE_BUFFER_MS} for --wav --realtime): more survives a busy machine, less makes instant controls faster`;
