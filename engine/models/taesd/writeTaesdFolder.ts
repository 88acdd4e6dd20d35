import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOnnxModel } from '../../onnx/onnxWriter.js';
import { type TaesdDecoderOptions, taesdDecoderGraph } from './taesdDecoderGraph.js';

/**
 * Writes a TAESD decoder folder with random weights: `vae_decoder/model.onnx` and
 * `vae_decoder/config.json` (`_class_name: AutoencoderTiny`, `scaling_factor: 1.0`,
 * `output_range: "0..1"`), the layout a preset's `vae: FOLDER` reads (see inspectVaeFolder).
 * @returns the decoder's path
 * @example
 * writeTaesdFolder('models/taesd-random', { seed: 1 });
 */
export function writeTaesdFolder(dir: string, options: TaesdDecoderOptions = {}): string {
  const sub = join(dir, 'vae_decoder');
  mkdirSync(sub, { recursive: true });
  const model = join(sub, 'model.onnx');
  writeFileSync(model, encodeOnnxModel(taesdDecoderGraph(options)));
  writeFileSync(join(sub, 'config.json'), `${JSON.stringify({
    _class_name: 'AutoencoderTiny',
    latent_channels: options.latentChannels ?? 4,
    scaling_factor: 1.0,
    output_range: '0..1',
    _synesthete: `random weights (seed ${options.seed ?? 0}) of TAESD's decoder architecture, for tests and timing only`,
  }, null, 2)}\n`);
  return model;
}
