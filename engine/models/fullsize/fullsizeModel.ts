import type { ValueInfo } from '../../onnx/onnxWriter.js';
import { MODEL_PARTS, type ModelPart } from '../modelFolder.js';
import { type FloatType, GraphBuilder } from './graphBuilder.js';
import { SD15_TEXT_ENCODER, type TextEncoderConfig, buildTextEncoder } from './textEncoder.js';
import { SD15_UNET, type UnetConfig, buildUnet } from './unet.js';
import { SD15_VAE, type VaeConfig, buildVaeDecoder, buildVaeEncoder } from './vae.js';


export interface SdConfig {
  readonly textEncoder: TextEncoderConfig;
  readonly unet: UnetConfig;
  readonly vae: VaeConfig;
}

/** Stable Diffusion 1.5 (runwayml/stable-diffusion-v1-5; Riffusion and DreamShaper share it). */
export const SD15: SdConfig = { textEncoder: SD15_TEXT_ENCODER, unet: SD15_UNET, vae: SD15_VAE };

/**
 * The same architecture at a width that runs in milliseconds (for tests): the tiny-sd fixtures'
 * sizes (text hidden size 16, four UNet and VAE blocks, latents 8x smaller than pixels).
 */
export const TINY_SD: SdConfig = {
  textEncoder: { vocabSize: 49408, hiddenSize: 16, layers: 2, heads: 2, intermediateSize: 32, maxPositions: 77 },
  unet: { blockOutChannels: [8, 8, 16, 16], layersPerBlock: 2, crossAttentionDim: 16, heads: 2, normNumGroups: 4, latentChannels: 4 },
  vae: { blockOutChannels: [8, 8, 16, 16], layersPerBlock: 2, latentChannels: 4, normNumGroups: 4 },
};

export interface BuiltPart {
  readonly builder: GraphBuilder;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
}

/** One part's graph; weights are only described (see GraphBuilder), so this is cheap at any size. */
export function buildPart(part: ModelPart, config: SdConfig, floatType: FloatType = 'float32'): BuiltPart {
  const builder = new GraphBuilder(floatType);
  const io = {
    text_encoder: () => buildTextEncoder(builder, config.textEncoder),
    unet: () => buildUnet(builder, config.unet),
    vae_decoder: () => buildVaeDecoder(builder, config.vae),
    vae_encoder: () => buildVaeEncoder(builder, config.vae),
  }[part]();
  return { builder, ...io };
}

/** Trained parameters of each part, counted from the shapes (nothing allocated). */
export function parameterCounts(config: SdConfig): Record<ModelPart, number> {
  return Object.fromEntries(MODEL_PARTS.map((p) => [p, buildPart(p, config).builder.parameterCount()])) as Record<ModelPart, number>;
}
