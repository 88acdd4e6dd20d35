import type { ValueInfo } from '../../onnx/onnxWriter.js';
import type { GraphBuilder } from './graphBuilder.js';
import { attention, conv2d, downsample, fromSequence, groupNorm, linear, resnetBlock, silu, toSequence, upsample } from './layers.js';
import { castIn, castOut } from './precision.js';

/** diffusers' AutoencoderKL settings that shape the graph. */
export interface VaeConfig {
  /** SD 1.5: [128, 256, 512, 512] (three x2 resamplings: latents are 8x smaller) */
  readonly blockOutChannels: readonly number[];
  readonly layersPerBlock: number;
  readonly latentChannels: number;
  readonly normNumGroups: number;
}

export const SD15_VAE: VaeConfig = { blockOutChannels: [128, 256, 512, 512], layersPerBlock: 2, latentChannels: 4, normNumGroups: 32 };

const EPS = 1e-6;

/** Optimum's vae_decoder: latent_sample [batch, 4, h, w] -> post_quant_conv -> Decoder -> sample [batch, 3, 8h, 8w]. */
export function buildVaeDecoder(g: GraphBuilder, c: VaeConfig): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  const top = c.blockOutChannels[c.blockOutChannels.length - 1]!;
  let h = conv2d(g, castIn(g, 'latent_sample'), 'post_quant_conv', c.latentChannels, c.latentChannels, 1);
  h = conv2d(g, h, 'decoder.conv_in', c.latentChannels, top, 3);
  h = midBlock(g, h, 'decoder.mid_block', top, c);
  let ch = top;
  const reversed = [...c.blockOutChannels].reverse();
  for (const [i, out] of reversed.entries()) {
    for (let j = 0; j <= c.layersPerBlock; j++) {
      h = resnet(g, h, `decoder.up_blocks.${i}.resnets.${j}`, ch, out, c);
      ch = out;
    }
    if (i < reversed.length - 1) h = upsample(g, h, `decoder.up_blocks.${i}.upsamplers.0`, out);
  }
  h = silu(g, groupNorm(g, h, 'decoder.conv_norm_out', ch, c.normNumGroups, EPS));
  h = conv2d(g, h, 'decoder.conv_out', ch, 3, 3);
  g.nodes.push({ op: 'Identity', inputs: [castOut(g, h)], outputs: ['sample'] });
  return {
    inputs: [{ name: 'latent_sample', type: 'float32', shape: ['batch', c.latentChannels, 'height_latent', 'width_latent'] }],
    outputs: [{ name: 'sample', type: 'float32', shape: ['batch', 3, 'height', 'width'] }],
  };
}

/**
 * Optimum's vae_encoder: sample [batch, 3, H, W] -> Encoder -> quant_conv -> latent_parameters
 * [batch, 8, H/8, W/8] (the diagonal Gaussian's mean, then its log-variance), as current Optimum
 * exports name it.
 */
export function buildVaeEncoder(g: GraphBuilder, c: VaeConfig): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  const channels = c.blockOutChannels;
  let h = conv2d(g, castIn(g, 'sample'), 'encoder.conv_in', 3, channels[0]!, 3);
  let ch = channels[0]!;
  for (const [i, out] of channels.entries()) {
    for (let j = 0; j < c.layersPerBlock; j++) {
      h = resnet(g, h, `encoder.down_blocks.${i}.resnets.${j}`, ch, out, c);
      ch = out;
    }
    if (i < channels.length - 1) h = downsample(g, h, `encoder.down_blocks.${i}.downsamplers.0`, out, true);
  }
  h = midBlock(g, h, 'encoder.mid_block', ch, c);
  h = silu(g, groupNorm(g, h, 'encoder.conv_norm_out', ch, c.normNumGroups, EPS));
  h = conv2d(g, h, 'encoder.conv_out', ch, 2 * c.latentChannels, 3);
  h = conv2d(g, h, 'quant_conv', 2 * c.latentChannels, 2 * c.latentChannels, 1);
  g.nodes.push({ op: 'Identity', inputs: [castOut(g, h)], outputs: ['latent_parameters'] });
  return {
    inputs: [{ name: 'sample', type: 'float32', shape: ['batch', 3, 'height', 'width'] }],
    outputs: [{ name: 'latent_parameters', type: 'float32', shape: ['batch', 2 * c.latentChannels, 'height_latent', 'width_latent'] }],
  };
}

function resnet(g: GraphBuilder, x: string, name: string, inCh: number, outCh: number, c: VaeConfig): string {
  return resnetBlock(g, x, name, inCh, outCh, { groups: c.normNumGroups, eps: EPS });
}

/** UNetMidBlock2D: resnet, single-head self-attention over all pixels, resnet. */
function midBlock(g: GraphBuilder, x: string, name: string, ch: number, c: VaeConfig): string {
  let h = resnet(g, x, `${name}.resnets.0`, ch, ch, c);
  const attn = `${name}.attentions.0`;
  const seq = toSequence(g, groupNorm(g, h, `${attn}.group_norm`, ch, c.normNumGroups, EPS), ch);
  const q = linear(g, seq, `${attn}.to_q`, ch, ch);
  const k = linear(g, seq, `${attn}.to_k`, ch, ch);
  const v = linear(g, seq, `${attn}.to_v`, ch, ch);
  const out = linear(g, attention(g, q, k, v, 1, ch), `${attn}.to_out.0`, ch, ch);
  h = g.op('Add', [fromSequence(g, out, h), h]);
  return resnet(g, h, `${name}.resnets.1`, ch, ch, c);
}
