import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { readJsonObject } from '../io/readJsonObject.js';

/**
 * A Stable Diffusion 1.x model folder in the diffusers/Optimum ONNX layout:
 *   model_index.json, scheduler/scheduler_config.json, tokenizer/{vocab.json,merges.txt},
 *   text_encoder/model.onnx, unet/model.onnx (+ model.onnx_data, or weights.pb in the legacy
 *   layout of diffusers' convert_stable_diffusion_checkpoint_to_onnx.py), vae_decoder/model.onnx,
 *   vae_encoder/model.onnx (optional: only img2img needs it).
 * This module only looks at files; sessions are opened by loadModel.
 */
export interface ModelFolder {
  readonly dir: string;
  readonly layout: 'optimum' | 'legacy';
  readonly textEncoder: string;
  readonly unet: string;
  /** external weight file of the UNet, if any */
  readonly unetWeights?: string;
  readonly vaeDecoder: string;
  readonly vaeEncoder?: string;
  readonly tokenizerDir: string;
  /** scheduler/scheduler_config.json, parsed */
  readonly schedulerConfig?: Record<string, unknown>;
  readonly modelIndex?: Record<string, unknown>;
  /** latents = VAE mean * scalingFactor (vae_decoder/config.json `scaling_factor`, else SD 1.x's 0.18215) */
  readonly vaeScalingFactor: number;
}

export const SD1_VAE_SCALING_FACTOR = 0.18215;

/** The ONNX parts of a model folder, named as its sub-folders. */
export const MODEL_PARTS = ['text_encoder', 'unet', 'vae_decoder', 'vae_encoder'] as const;
export type ModelPart = (typeof MODEL_PARTS)[number];

export function inspectModelFolder(dir: string): ModelFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: model folder not found`);
  const file = (...parts: string[]) => join(dir, ...parts);
  const need = (...parts: string[]) => {
    const path = file(...parts);
    if (!existsSync(path)) throw new UserError(`${path}: missing (expected in a diffusers/Optimum ONNX export)`);
    return path;
  };
  const unetWeights = ['model.onnx_data', 'weights.pb', 'model.onnx.data'].map((n) => file('unet', n)).find((p) => existsSync(p));
  const vaeEncoder = file('vae_encoder', 'model.onnx');
  const vaeConfig = readJsonIfPresent(file('vae_decoder', 'config.json'));
  const scaling = vaeConfig?.['scaling_factor'];
  const folder: ModelFolder = {
    dir,
    layout: unetWeights?.endsWith('weights.pb') ? 'legacy' : 'optimum',
    textEncoder: need('text_encoder', 'model.onnx'),
    unet: need('unet', 'model.onnx'),
    vaeDecoder: need('vae_decoder', 'model.onnx'),
    tokenizerDir: need('tokenizer'),
    vaeScalingFactor: typeof scaling === 'number' && scaling > 0 ? scaling : SD1_VAE_SCALING_FACTOR,
    ...(unetWeights ? { unetWeights } : {}),
    ...(existsSync(vaeEncoder) ? { vaeEncoder } : {}),
  };
  need('tokenizer', 'vocab.json');
  need('tokenizer', 'merges.txt');
  const schedulerConfig = readJsonIfPresent(file('scheduler', 'scheduler_config.json'));
  const modelIndex = readJsonIfPresent(file('model_index.json'));
  return { ...folder, ...(schedulerConfig ? { schedulerConfig } : {}), ...(modelIndex ? { modelIndex } : {}) };
}

function readJsonIfPresent(path: string): Record<string, unknown> | undefined {
  return existsSync(path) ? readJsonObject(path) : undefined;
}
