import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { type LoadedPreset, loadPreset } from '../presets/loadPreset.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * A `preset` command's name to a loaded, validated preset: a path to a preset file, or a name
 * looked up in `dirs` in order (the performer's folder first, then the bundled presets/), as
 * NAME.yaml, NAME.yml or NAME.json. Its model folders must exist. Throws a UserError with one
 * line that says what was looked for.
 */
export function findPreset(name: string, dirs: readonly string[], modelsDir?: string): LoadedPreset {
  const isPath = name.includes('/') || name.includes('\\') || EXTENSIONS.some((e) => name.endsWith(e));
  const candidates = isPath ? [resolve(name)] : dirs.flatMap((d) => EXTENSIONS.map((e) => join(d, `${name}${e}`)));
  const file = candidates.find((c) => existsSync(c));
  if (!file) {
    const known = [...new Set(dirs.flatMap(presetNames))].sort();
    throw new UserError(`no preset ${JSON.stringify(name)}${isPath ? '' : ` in ${dirs.join(', ')}`}${known.length ? ` (available: ${known.join(', ')})` : ''}`);
  }
  const loaded = loadPreset(file, modelsDir);
  for (const folder of [loaded.audioModel, loaded.pictureModel]) {
    if (folder !== undefined && !existsSync(folder)) throw new UserError(`${file}: model folder ${folder} does not exist (docs/models.md)`);
  }
  return loaded;
}

/** Preset names (file names without extension) in a folder; none when it cannot be read. */
export function presetNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => EXTENSIONS.some((e) => f.endsWith(e))).map((f) => f.replace(/\.(yaml|yml|json)$/, ''));
  } catch {
    return [];
  }
}
