import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../../control/protocol/commands.js';
import type { Surface } from '../../control/protocol/state.js';

/**
 * Surfaces reached over the network, or from a controller, name presets and pictures; they never
 * give paths. A path would let whoever holds the token probe the show machine's disk (is there a
 * file there? is it a PNG?) and imprint any picture on it. Paths stay for the command line and
 * --events files, which the performer wrote.
 */
const NAMING: ReadonlySet<Surface> = new Set(['web', 'osc', 'midi']);
const PICTURE = /\.(png|jpe?g)$/i;
/** where the web page and OSC find pictures unless --pictures says otherwise (relative to where the show starts) */
export const DEFAULT_PICTURES_DIR = 'pictures';
/** pictures offered to a page at most (a folder of photos can be large) */
export const MAX_PICTURE_NAMES = 200;

/**
 * The command as the show applies it: from a naming surface, a picture name becomes its path in
 * `picturesDir`, and a preset or picture given as a path is refused with one line.
 */
export function fromSurface(command: Command, surface: Surface, picturesDir: string | undefined): { ok: true; command: Command } | { ok: false; reason: string } {
  if (!NAMING.has(surface)) return { ok: true, command };
  if (command.type === 'preset' && (isPath(command.name) || /\.(ya?ml|json)$/i.test(command.name))) {
    return { ok: false, reason: `preset: ${surface} chooses presets by name (those in --presets and presets/); a path is for the command line or an --events file` };
  }
  if (command.type === 'imprint' && command.image !== undefined) {
    const name = command.image;
    if (picturesDir === undefined) return { ok: false, reason: `imprint.image: this show offers no pictures to ${surface} (start it with --pictures DIR)` };
    if (isPath(name) || name.startsWith('.') || !PICTURE.test(name)) {
      return { ok: false, reason: `imprint.image: ${surface} names a PNG or JPEG in ${picturesDir} (e.g. "sea.png"); a path is for the command line or an --events file` };
    }
    const path = join(picturesDir, name);
    if (!isFile(path)) return { ok: false, reason: `imprint.image: no picture ${JSON.stringify(name)} in ${picturesDir}` };
    return { ok: true, command: { ...command, image: path } };
  }
  return { ok: true, command };
}

/** PNG and JPEG names in a folder, sorted, at most {@link MAX_PICTURE_NAMES}; none when it cannot be read. */
export function pictureNames(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => PICTURE.test(name) && !name.startsWith('.') && isFile(join(dir, name)))
      .sort().slice(0, MAX_PICTURE_NAMES);
  } catch {
    return [];
  }
}

/**
 * `pictureNames(dir)` read at most every `maxAgeMs`: each page that connects is offered the
 * folder, and pages reconnecting in a loop must not have the main thread list a big folder each time.
 */
export function pictureLister(dir: string, maxAgeMs = 2000, now: () => number = Date.now): () => readonly string[] {
  let cached: { at: number; names: readonly string[] } | undefined;
  return () => {
    const t = now();
    if (!cached || t - cached.at >= maxAgeMs) cached = { at: t, names: pictureNames(dir) };
    return cached.names;
  };
}

/** A regular file, or a link to one (a folder or a FIFO named x.png is not a picture: reading a FIFO would block). */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isPath(name: string): boolean {
  return name.includes('/') || name.includes('\\');
}
