import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

export interface PendingOutput {
  readonly path: string;
  /** writes the file at `tempPath` (any of our atomic writers) */
  readonly write: (tempPath: string) => void;
}

/**
 * Writes a command's output files all or nothing: each to a temporary sibling, then all renamed
 * into place. If any write or rename fails, no new output (and no folder this created) is left
 * behind, and the files the outputs would have replaced are put back: a failed run never leaves a
 * PNG without its WAV, and never removes what an earlier run made.
 *
 * @throws UserError naming the output that could not be written
 */
export function writeOutputs(outputs: readonly PendingOutput[]): void {
  const createdDirs: string[] = [];
  const temps: string[] = [];
  /** earlier files moved aside, to restore on failure: [original path, backup path] */
  const backups: Array<[string, string]> = [];
  const placed: string[] = [];
  try {
    checkOutputTargets(outputs.map((o) => o.path));
    for (const o of outputs) {
      createDir(dirname(o.path), createdDirs);
      const temp = sibling(o.path, 'pending');
      temps.push(temp);
      try {
        o.write(temp);
      } catch (e) {
        // the user never asked for the temporary name: the message names the output
        throw e instanceof UserError ? new UserError(e.message.replaceAll(temp, o.path)) : e;
      }
    }
    outputs.forEach((o, i) => {
      checkTarget(o.path); // again: the slow writes give time for a folder to appear
      if (existsSync(o.path)) {
        const backup = sibling(o.path, 'previous');
        renameOrFail(o.path, backup);
        backups.push([o.path, backup]);
      }
      renameOrFail(temps[i]!, o.path);
      placed.push(o.path);
    });
  } catch (e) {
    for (const f of [...temps, ...placed]) removeQuietly(() => rmSync(f, { force: true }));
    for (const [path, backup] of backups) removeQuietly(() => renameSync(backup, path));
    for (const d of createdDirs.reverse()) removeQuietly(() => { if (readdirSync(d).length === 0) rmdirSync(d); });
    throw e;
  }
  for (const [, backup] of backups) removeQuietly(() => rmSync(backup, { force: true }));
}

function sibling(path: string, kind: 'pending' | 'previous'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${kind}`);
}

/**
 * Refuses output paths that are folders or special files (a folder of that name is the user's, not
 * ours to replace). {@link writeOutputs} checks this itself; commands with slow work call it first
 * too, so the user hears about it before the work, not after.
 *
 * @throws UserError naming the path
 */
export function checkOutputTargets(paths: readonly string[]): void {
  for (const path of paths) checkTarget(path);
}

function checkTarget(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return; // nothing there yet (or a parent is missing: createDir reports that)
  }
  if (stat.isDirectory()) throw new UserError(`${path}: cannot write output, a folder of that name exists`);
  if (!stat.isFile() && !stat.isSymbolicLink()) throw new UserError(`${path}: cannot write output, it exists and is not a regular file`);
}

function renameOrFail(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    throw new UserError(`${to}: cannot write output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
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
