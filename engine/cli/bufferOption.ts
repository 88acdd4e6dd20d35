import { UserError } from '../errors.js';

/** `--buffer MS` as a show output field; one line naming the option when it is not 15 to 500. */
export function bufferOption(raw: string | undefined): { bufferMs?: number } {
  if (raw === undefined) return {};
  const ms = Number(raw);
  if (!(ms >= 15 && ms <= 500)) throw new UserError(`--buffer ${JSON.stringify(raw)}: expected a number of milliseconds from 15 to 500`);
  return { bufferMs: ms };
}
