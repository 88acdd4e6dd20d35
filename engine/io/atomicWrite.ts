import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';

/**
 * Write `data` to `path` so that readers only ever see the old file or the complete new one.
 *
 * The bytes go to a temporary file in the same directory (rename is only atomic within one
 * file system), are flushed to disk, and the temporary file is then renamed over `path`.
 * On any failure the temporary file is removed, so no partial output is left behind.
 *
 * @throws UserError naming `path` when the file cannot be written (missing directory,
 *   permissions, full disk, ...).
 */
export function writeFileAtomic(path: string, data: Buffer | Uint8Array): void {
  // Hidden, unique name: concurrent writers of the same path must not share a temp file.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    // Without fsync a crash after the rename could leave a renamed but empty file.
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already failing; the original error is the one worth reporting */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* the temp file may never have been created */
    }
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UserError(`${path}: cannot write file (${reason})`);
  }
}
