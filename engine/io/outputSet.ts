import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

export interface PendingOutput {
  readonly path: string;
  /** writes the file at `tempPath` (any of our atomic writers) */
  readonly write: (tempPath: string) => void;
}

/**
 * Writes a command's output files all or nothing: each to a temporary sibling, then all renamed
 * into place. If any write fails, no output (and no folder this created) is left behind, so a
 * failed run never leaves a PNG without its WAV.
 */
export function writeOutputs(outputs: readonly PendingOutput[]): void {
  const createdDirs: string[] = [];
  const temps: string[] = [];
  const placed: string[] = [];
  try {
    for (const o of outputs) {
      createDir(dirname(o.path), createdDirs);
      const temp = join(dirname(o.path), `.${basename(o.path)}.${process.pid}.pending`);
      temps.push(temp);
      o.write(temp);
    }
    outputs.forEach((o, i) => {
      renameSync(temps[i]!, o.path);
      placed.push(o.path);
    });
  } catch (e) {
    for (const f of [...temps, ...placed]) removeQuietly(() => rmSync(f, { force: true }));
    for (const d of createdDirs.reverse()) removeQuietly(() => { if (readdirSync(d).length === 0) rmdirSync(d); });
    throw e;
  }
}

/** Cleanup after a failure must not hide the failure itself. */
function removeQuietly(remove: () => void): void {
  try {
    remove();
  } catch {
    // the path may never have been written (or its parent is not a folder)
  }
}

function createDir(dir: string, created: string[]): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: cannot create output folder (a file of that name exists)`);
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) createDir(parent, created);
  try {
    mkdirSync(dir);
    created.push(dir);
  } catch (e) {
    throw new UserError(`${dir}: cannot create output folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
