import { extname } from 'node:path';
import { UserError } from '../errors.js';

/**
 * Checks that an output file's name ends in an extension of what will be written into it: a WAV
 * named `x.mp3` or a PNG named `x.jpg` would mislead every program that opens it. Case is
 * ignored (`.WAV` is a WAV).
 *
 * @param allowed extensions with their dot, e.g. `['.wav']` or `['.wav', '.mp4']`
 * @param what what is written, for the message, e.g. "a WAV file"
 * @returns the extension found, lower-cased
 * @throws UserError naming the file, its extension and the ones allowed
 * @example
 * checkOutputExtension('set.mp3', ['.wav'], 'a WAV file'); // throws: set.mp3: writes a WAV file, so its name must end in .wav (not .mp3)
 */
export function checkOutputExtension<E extends string>(path: string, allowed: readonly E[], what: string): E {
  const ext = extname(path).toLowerCase();
  if ((allowed as readonly string[]).includes(ext)) return ext as E;
  const list = allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
  throw new UserError(`${path}: writes ${what}, so its name must end in ${list} (not ${ext || 'no extension'})`);
}
