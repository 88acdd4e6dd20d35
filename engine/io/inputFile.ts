import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:fs';
import { UserError } from '../errors.js';

/**
 * Reads a whole input file, refusing what would hang or exhaust memory before reading a byte: a
 * FIFO, device or folder ("not a regular file"), or more than `maxBytes`. Errors name the file and
 * the real cause (ENOENT as "file not found", anything else by its code).
 *
 * @param what the kind of file in the message, e.g. "session journal"
 * @throws UserError naming `path`
 */
export function readInputFile(path: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: ${code === 'ENOENT' ? 'file not found' : `cannot read ${what} (${code ?? (e as Error).message})`}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UserError(`${path}: is a folder, expected a ${what}`);
    if (!stat.isFile()) throw new UserError(`${path}: not a regular file, expected a ${what}`);
    if (stat.size > maxBytes) throw new UserError(`${path}: ${what} is ${stat.size} bytes, more than the ${maxBytes} allowed`);
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break; // shrank while reading: use what is there
      read += n;
    }
    return read === bytes.length ? bytes : bytes.subarray(0, read);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${path}: cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}
