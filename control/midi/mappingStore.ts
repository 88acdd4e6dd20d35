import { mkdir, open, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type MappingFile, formatMappingFile, parseMappingFile } from '../mapping/mappingFile.js';
import { stripPortNumbers } from '../mapping/midiMapping.js';

/** No mapping file is anywhere near this; a bigger one is a mistake, not something to read. */
const MAX_FILE_BYTES = 1 << 20;

/**
 * Where mapping files live: `$SYNESTHETE_MIDI_DIR`, else `$XDG_CONFIG_HOME/synesthete/midi`, else
 * `~/.config/synesthete/midi`. One file per controller, named by `mappingFileName`.
 */
export function midiMappingDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.SYNESTHETE_MIDI_DIR) return env.SYNESTHETE_MIDI_DIR;
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'synesthete', 'midi');
}

/**
 * A controller's file name: its port name without ALSA's numbers, reduced to letters, digits,
 * dots, dashes and underscores, e.g. `nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0` ->
 * `nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml`.
 */
export function mappingFileName(device: string): string {
  const safe = stripPortNumbers(device).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 100);
  return `${safe || 'controller'}.yaml`;
}

export type LoadMappingResult = { ok: true; file: MappingFile; path: string; existed: boolean } | { ok: false; reason: string };

/** A controller's mappings from `dir`; none (and `existed: false`) when it has no file yet. Never throws. */
export async function loadMappings(dir: string, device: string): Promise<LoadMappingResult> {
  const path = join(dir, mappingFileName(device));
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, path, existed: false, file: { device: stripPortNumbers(device), feedback: true, programChange: [], mappings: [] } };
    return { ok: false, reason: `${path}: cannot be read (${(e as Error).message})` };
  }
  if (size > MAX_FILE_BYTES) return { ok: false, reason: `${path}: ${size} bytes is too big for a mapping file (at most ${MAX_FILE_BYTES})` };
  let text: string;
  try {
    // read at most the limit, whatever the file grew to since stat
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_FILE_BYTES) return { ok: false, reason: `${path}: too big for a mapping file (at most ${MAX_FILE_BYTES} bytes)` };
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (e) {
    return { ok: false, reason: `${path}: cannot be read (${(e as Error).message})` };
  }
  const parsed = parseMappingFile(text, path);
  return parsed.ok ? { ok: true, file: parsed.file, path, existed: true } : parsed;
}

/**
 * Saves a controller's mappings to `dir` (created if missing). Written to a temporary file and
 * renamed over the old one, so a crash mid-write never loses the mappings already saved.
 * Returns the file's path.
 */
export async function saveMappings(dir: string, file: MappingFile): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, mappingFileName(file.device));
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, formatMappingFile(file), 'utf8');
  await rename(temporary, path);
  return path;
}
