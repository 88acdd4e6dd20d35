import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { readJsonObject } from '../io/readJsonObject.js';
import { SD1_VAE_SCALING_FACTOR } from './modelFolder.js';

/** What a decoder's pixels span: TAESD's raw output is 0..1, the SD VAE's -1..1. */
export type DecoderOutputRange = '0..1' | '-1..1';

/**
 * A decoder-only folder for a preset's `vae: FOLDER`: `vae_decoder/model.onnx` with an optional
 * `vae_decoder/config.json`. Any SD 1.x model folder qualifies (its VAE is used); a TAESD folder
 * says `_class_name: AutoencoderTiny` and decodes the UNet's latents as they are.
 */
export interface VaeFolder {
  readonly dir: string;
  readonly decoder: string;
  /** `_class_name` of the config, if any (`AutoencoderTiny` for TAESD) */
  readonly className: string | undefined;
  /** the decoder takes latents / scalingFactor (TAESD: 1; SD VAE: 0.18215) */
  readonly scalingFactor: number;
  readonly outputRange: DecoderOutputRange;
}

/**
 * Reads a decoder folder. Defaults by class: AutoencoderTiny -> scaling 1, output 0..1 (raw TAESD,
 * as madebyollin's `taesd.py` decodes; an export of diffusers' `DecoderTiny`, which maps to -1..1
 * itself, must say `"output_range": "-1..1"`); anything else -> SD's 0.18215 and -1..1.
 * @throws UserError naming the folder or the config field
 * @example
 * const vae = inspectVaeFolder('models/taesd'); // { scalingFactor: 1, outputRange: '0..1', ... }
 */
export function inspectVaeFolder(dir: string): VaeFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: VAE folder not found (vae: expects audio, picture or a folder holding vae_decoder/model.onnx)`);
  const decoder = join(dir, 'vae_decoder', 'model.onnx');
  if (!existsSync(decoder)) throw new UserError(`${decoder}: missing (a VAE folder holds vae_decoder/model.onnx)`);
  const configFile = join(dir, 'vae_decoder', 'config.json');
  const config = existsSync(configFile) ? readJsonObject(configFile) : {};
  const className = typeof config['_class_name'] === 'string' ? config['_class_name'] : undefined;
  const tiny = className === 'AutoencoderTiny';
  const scaling = config['scaling_factor'] ?? (tiny ? 1 : SD1_VAE_SCALING_FACTOR);
  if (typeof scaling !== 'number' || !(scaling > 0)) throw new UserError(`${configFile}: scaling_factor must be a number > 0, got ${JSON.stringify(scaling)}`);
  const range = config['output_range'] ?? (tiny ? '0..1' : '-1..1');
  if (range !== '0..1' && range !== '-1..1') throw new UserError(`${configFile}: output_range must be "0..1" or "-1..1", got ${JSON.stringify(range)}`);
  return { dir, decoder, className, scalingFactor: scaling, outputRange: range };
}
