import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

/**
 * The folder of Riffusion's bundled seed images and masks (`presets/seed_images/` in the project
 * root). Found from this module's own location, so it works from the sources
 * (`engine/presets/`, run by tsx or vitest) and from the build (`dist/engine/presets/`), whatever
 * the working directory.
 */
export function seedImagesDir(): string {
  return resolve(bundledPresetsDir(), 'seed_images');
}

/** The bundled presets folder (`presets/` in the project root), found the same way. */
export function bundledPresetsDir(): string {
  let root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  if (basename(root) === 'dist') root = dirname(root);
  return resolve(root, 'presets');
}

const MASK_PREFIX = 'mask_';

/** Bundled names: seeds are the PNGs not starting with `mask_`; masks are those that do (name without `mask_`). */
function bundledNames(presetFile: string): { seeds: string[]; masks: string[] } {
  const dir = seedImagesDir();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.png')).map((f) => f.slice(0, -'.png'.length)).sort();
  } catch {
    throw new UserError(`${presetFile}: the bundled seed images folder is missing (${dir}); reinstall Synesthete or give a PNG path instead`);
  }
  return {
    seeds: files.filter((f) => !f.startsWith(MASK_PREFIX)),
    masks: files.filter((f) => f.startsWith(MASK_PREFIX)).map((f) => f.slice(MASK_PREFIX.length)),
  };
}

/**
 * A preset's init image or mask reference as an absolute file path.
 *
 * - `seed:NAME`: one of Riffusion's bundled seed images, `presets/seed_images/NAME.png`
 *   (og_beat, agile, marim, motorway, vibes).
 * - `mask:NAME`: one of Riffusion's bundled masks, `presets/seed_images/mask_NAME.png`; Riffusion's
 *   own ids with the prefix (`mask:mask_top_third_75`) work too.
 * - anything else: a file path, relative to the folder of `presetFile` (absolute paths stay as they are).
 *   Its existence is not checked here: reading the image reports a missing file.
 *
 * @throws UserError for an unknown seed or mask name, listing the valid ones.
 * @example
 * resolveImagePath('seed:og_beat', 'presets/riffusion-interpolation.yaml'); // .../presets/seed_images/og_beat.png
 * resolveImagePath('mask:top_third_75', 'presets/x.yaml'); // .../presets/seed_images/mask_top_third_75.png
 * resolveImagePath('init.png', 'presets/x.yaml'); // .../presets/init.png
 */
export function resolveImagePath(ref: string, presetFile: string): string {
  if (ref.startsWith('seed:')) {
    const name = ref.slice('seed:'.length);
    const { seeds } = bundledNames(presetFile);
    if (!seeds.includes(name)) {
      throw new UserError(`${presetFile}: unknown seed image "${ref}"; valid: ${seeds.map((s) => `seed:${s}`).join(', ')}`);
    }
    return resolve(seedImagesDir(), `${name}.png`);
  }
  if (ref.startsWith('mask:')) {
    const raw = ref.slice('mask:'.length);
    const name = raw.startsWith(MASK_PREFIX) ? raw.slice(MASK_PREFIX.length) : raw;
    const { masks } = bundledNames(presetFile);
    if (!masks.includes(name)) {
      throw new UserError(`${presetFile}: unknown mask "${ref}"; valid: ${masks.map((m) => `mask:${m}`).join(', ')}`);
    }
    return resolve(seedImagesDir(), `${MASK_PREFIX}${name}.png`);
  }
  return resolve(dirname(resolve(presetFile)), ref);
}

/** For tests and `--help`: the bundled seed and mask names, as `seed:NAME` / `mask:NAME`. */
export function bundledImageRefs(): { seeds: string[]; masks: string[] } {
  const dir = seedImagesDir();
  if (!existsSync(dir)) return { seeds: [], masks: [] };
  const { seeds, masks } = bundledNames(dir);
  return { seeds: seeds.map((s) => `seed:${s}`), masks: masks.map((m) => `mask:${m}`) };
}
