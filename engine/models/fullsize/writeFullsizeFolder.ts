import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ELEM_SIZE } from '../../onnx/onnxWriter.js';
import { writeOnnxModel } from '../../onnx/writeOnnxModel.js';
import { MODEL_PARTS, type ModelPart, SD1_VAE_SCALING_FACTOR } from '../modelFolder.js';
import type { FloatType } from './graphBuilder.js';
import { type SdConfig, buildPart } from './fullsizeModel.js';

export interface FullsizeFolderOptions {
  readonly config: SdConfig;
  readonly floatType: FloatType;
  readonly seed: number;
  /** a CLIP tokenizer folder (vocab.json, merges.txt, ...) to copy */
  readonly tokenizerDir: string;
  /** bytes of weights written so far, of `total` */
  readonly onProgress?: (written: number, total: number, part: ModelPart) => void;
}

/** SD 1.5's scheduler config, as shipped in runwayml/stable-diffusion-v1-5. */
const SD15_SCHEDULER = {
  _class_name: 'PNDMScheduler', beta_end: 0.012, beta_schedule: 'scaled_linear', beta_start: 0.00085, clip_sample: false,
  num_train_timesteps: 1000, set_alpha_to_one: false, skip_prk_steps: true, steps_offset: 1, trained_betas: null,
};

/**
 * Writes a model folder in the diffusers/Optimum ONNX layout with random weights drawn from `seed`:
 * model_index.json, scheduler/, tokenizer/, text_encoder/, unet/ (weights in model.onnx_data:
 * protobuf stops at 2 GB), vae_decoder/, vae_encoder/, plus fullsize.json saying how it was made.
 * Weights stream to disk one tensor at a time.
 * @returns trained parameters per part
 */
export async function writeFullsizeFolder(dir: string, options: FullsizeFolderOptions): Promise<Record<ModelPart, number>> {
  const parts = MODEL_PARTS.map((part) => ({ part, built: buildPart(part, options.config, options.floatType) }));
  const bytesPerParam = ELEM_SIZE[options.floatType];
  const total = parts.reduce((n, p) => n + p.built.builder.parameterCount() * bytesPerParam, 0);
  let done = 0;
  const counts = {} as Record<ModelPart, number>;
  for (const { part, built } of parts) {
    mkdirSync(join(dir, part), { recursive: true });
    const graph = built.builder.graph(built.inputs, built.outputs, options.seed);
    const before = done;
    const bytes = await writeOnnxModel(join(dir, part, 'model.onnx'), graph, {
      ...(part === 'unet' ? { externalData: 'model.onnx_data' } : {}),
      // constants (masks, shapes) count too, so the bar may pass 100 % by a few kB
      onProgress: (written) => options.onProgress?.(Math.min(total, before + written), total, part),
    });
    done = before + bytes;
    counts[part] = built.builder.parameterCount();
  }
  cpSync(options.tokenizerDir, join(dir, 'tokenizer'), { recursive: true });
  mkdirSync(join(dir, 'scheduler'), { recursive: true });
  json(join(dir, 'scheduler', 'scheduler_config.json'), SD15_SCHEDULER);
  for (const vae of ['vae_decoder', 'vae_encoder']) {
    json(join(dir, vae, 'config.json'), { _class_name: 'AutoencoderKL', latent_channels: options.config.vae.latentChannels, scaling_factor: SD1_VAE_SCALING_FACTOR });
  }
  const component = ['onnxruntime', 'ORTModel'];
  json(join(dir, 'model_index.json'), {
    _class_name: 'ORTStableDiffusionPipeline', scheduler: ['diffusers', 'PNDMScheduler'], text_encoder: component,
    tokenizer: ['transformers', 'CLIPTokenizer'], unet: component, vae_decoder: component, vae_encoder: component,
  });
  json(join(dir, 'fullsize.json'), {
    generator: 'synesthete models:fullsize (random weights, diffusers state-dict names)',
    seed: options.seed, floatType: options.floatType, parameters: counts, config: options.config,
  });
  return counts;
}

function json(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 1)}\n`);
}
