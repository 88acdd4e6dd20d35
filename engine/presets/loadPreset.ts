import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { safeText } from '../../control/protocol/describeInput.js';
import { UserError } from '../errors.js';
import { readInputFile } from '../io/inputFile.js';
import { INPUT_LIMITS } from '../io/inputLimits.js';
import { type Preset, presetSchema } from './presetSchema.js';

export interface LoadedPreset {
  readonly file: string;
  readonly preset: Preset;
  /** model folders resolved to absolute paths */
  readonly audioModel: string;
  readonly pictureModel?: string;
  /** `vae: FOLDER` (anything but audio/picture) resolved like the models: a decoder replacing the VAE */
  readonly vaeModel?: string;
}

/**
 * Reads and validates a preset (YAML or JSON). The first problem is reported as one line naming
 * the file and the field, e.g. `presets/waltz.yaml: plan.1.guidance: Too big: expected number to be <=50`.
 * Model paths starting with `.` or `/` are relative to the preset file; bare names are folders
 * under `modelsDir` (default ./models).
 */
export function loadPreset(file: string, modelsDir = resolve('models')): LoadedPreset {
  // Bounded before parsing: YAML's duplicate-key check is quadratic, so a 1 MB preset of 100,000
  // keys took two minutes to refuse.
  const text = readInputFile(file, 'preset', INPUT_LIMITS.presetBytes).toString('utf8');
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UserError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${safeText((e as Error).message.split('\n')[0]!.replace(/:\s*$/, ''), 200)})`);
  }
  const result = presetSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    // a preset of a thousand misspelt keys would otherwise list them all
    throw new UserError(`${file}: ${safeText(`${field}: ${issue.message}`, 200)}`);
  }
  const preset = result.data;
  const here = dirname(resolve(file));
  const modelPath = (p: string) => (isAbsolute(p) ? p : p.startsWith('.') ? resolve(here, p) : resolve(modelsDir, p));
  return {
    file,
    preset,
    audioModel: modelPath(preset.models.audio),
    ...(preset.models.picture ? { pictureModel: modelPath(preset.models.picture) } : {}),
    ...(isDecoderFolder(preset.vae) ? { vaeModel: modelPath(preset.vae) } : {}),
  };
}

/** `vae` names a decoder folder unless it is one of the two model roles. */
export function isDecoderFolder(vae: string): boolean {
  return vae !== 'audio' && vae !== 'picture';
}
