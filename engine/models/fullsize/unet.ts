import type { ValueInfo } from '../../onnx/onnxWriter.js';
import type { GraphBuilder } from './graphBuilder.js';
import { attention, conv2d, downsample, fromSequence, gelu, groupNorm, layerNorm, linear, resnetBlock, silu, toSequence, upsample } from './layers.js';
import { castIn, castOut } from './precision.js';

/** diffusers' UNet2DConditionModel settings that shape the graph (names as in its config.json). */
export interface UnetConfig {
  /** SD 1.5: [320, 640, 1280, 1280]; every block but the last down block has cross-attention */
  readonly blockOutChannels: readonly number[];
  readonly layersPerBlock: number;
  readonly crossAttentionDim: number;
  /** SD 1.5's config calls this attention_head_dim (8), but it is the number of heads */
  readonly heads: number;
  readonly normNumGroups: number;
  readonly latentChannels: number;
}

export const SD15_UNET: UnetConfig = {
  blockOutChannels: [320, 640, 1280, 1280], layersPerBlock: 2, crossAttentionDim: 768, heads: 8, normNumGroups: 32, latentChannels: 4,
};

const RESNET_EPS = 1e-5;
const TRANSFORMER_NORM_EPS = 1e-6;
const LAYER_NORM_EPS = 1e-5;

/**
 * SD 1.5's UNet (diffusers UNet2DConditionModel: CrossAttnDownBlock2D x3 + DownBlock2D,
 * UNetMidBlock2DCrossAttn, UpBlock2D + CrossAttnUpBlock2D x3) as an Optimum export sees it:
 * sample [batch, 4, h, w] float32, timestep int64 [batch], encoder_hidden_states [batch, sequence, 768]
 * -> out_sample. Weights are named as in diffusers' state dict.
 */
export function buildUnet(g: GraphBuilder, c: UnetConfig): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  const channels = c.blockOutChannels;
  const last = channels.length - 1;
  const context = castIn(g, 'encoder_hidden_states');
  const temb = timeEmbedding(g, c);
  const resnet = (x: string, name: string, inCh: number, outCh: number) => resnetBlock(g, x, name, inCh, outCh, {
    groups: c.normNumGroups, eps: RESNET_EPS, temb: { value: temb, channels: 4 * channels[0]! },
  });
  const transformer = (x: string, name: string, ch: number) => transformer2d(g, x, name, ch, context, c);

  let h = conv2d(g, castIn(g, 'sample'), 'conv_in', c.latentChannels, channels[0]!, 3);
  const skips: { value: string; channels: number }[] = [{ value: h, channels: channels[0]! }];
  let ch = channels[0]!;
  for (const [i, out] of channels.entries()) {
    for (let j = 0; j < c.layersPerBlock; j++) {
      h = resnet(h, `down_blocks.${i}.resnets.${j}`, j === 0 ? ch : out, out);
      if (i < last) h = transformer(h, `down_blocks.${i}.attentions.${j}`, out);
      skips.push({ value: h, channels: out });
    }
    ch = out;
    if (i < last) {
      h = downsample(g, h, `down_blocks.${i}.downsamplers.0`, out, false);
      skips.push({ value: h, channels: out });
    }
  }
  h = resnet(h, 'mid_block.resnets.0', ch, ch);
  h = transformer(h, 'mid_block.attentions.0', ch);
  h = resnet(h, 'mid_block.resnets.1', ch, ch);

  const reversed = [...channels].reverse();
  for (const [i, out] of reversed.entries()) {
    for (let j = 0; j <= c.layersPerBlock; j++) {
      const skip = skips.pop()!;
      h = resnet(g.op('Concat', [h, skip.value], { axis: 1 }), `up_blocks.${i}.resnets.${j}`, ch + skip.channels, out);
      ch = out;
      if (i > 0) h = transformer(h, `up_blocks.${i}.attentions.${j}`, out);
    }
    if (i < last) h = upsample(g, h, `up_blocks.${i}.upsamplers.0`, out);
  }
  h = silu(g, groupNorm(g, h, 'conv_norm_out', ch, c.normNumGroups, RESNET_EPS));
  h = conv2d(g, h, 'conv_out', ch, c.latentChannels, 3);
  g.nodes.push({ op: 'Identity', inputs: [castOut(g, h)], outputs: ['out_sample'] });
  const latent = (name: string): ValueInfo => ({ name, type: 'float32', shape: ['batch', c.latentChannels, 'height', 'width'] });
  return {
    inputs: [
      latent('sample'),
      { name: 'timestep', type: 'int64', shape: ['batch'] },
      { name: 'encoder_hidden_states', type: 'float32', shape: ['batch', 'sequence', c.crossAttentionDim] },
    ],
    outputs: [latent('out_sample')],
  };
}

/**
 * diffusers' Timesteps (flip_sin_to_cos, freq_shift 0) + TimestepEmbedding: [cos | sin](t f),
 * f_i = exp(-ln(10000) i / half), then linear_1, SiLU, linear_2. Computed in float32 (timesteps
 * up to 1000 need it), then cast to the graph's float type.
 */
function timeEmbedding(g: GraphBuilder, c: UnetConfig): string {
  const dim = c.blockOutChannels[0]!;
  const half = dim / 2;
  const freqs = Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half));
  const t = g.op('Reshape', [g.op('Cast', ['timestep'], { to: 1 }), g.ints([-1, 1])]);
  const args = g.op('Mul', [t, g.floats(freqs, [1, half], 'float32')]);
  const projected = castIn(g, g.op('Concat', [g.op('Cos', [args]), g.op('Sin', [args])], { axis: -1 }));
  const h = silu(g, linear(g, projected, 'time_embedding.linear_1', dim, 4 * dim));
  return linear(g, h, 'time_embedding.linear_2', 4 * dim, 4 * dim);
}

/**
 * diffusers' Transformer2DModel as SD 1.5 configures it: GroupNorm, 1x1 conv in, one
 * BasicTransformerBlock (self-attention, cross-attention, GEGLU feed-forward, pre-LayerNorms,
 * residuals), 1x1 conv out, residual.
 */
function transformer2d(g: GraphBuilder, x: string, name: string, ch: number, context: string, c: UnetConfig): string {
  const normed = groupNorm(g, x, `${name}.norm`, ch, c.normNumGroups, TRANSFORMER_NORM_EPS);
  let seq = toSequence(g, conv2d(g, normed, `${name}.proj_in`, ch, ch, 1), ch);
  const block = `${name}.transformer_blocks.0`;
  const attn = (input: string, prefix: string, kv: string, kvDim: number) => {
    const q = linear(g, input, `${prefix}.to_q`, ch, ch, false);
    const k = linear(g, kv, `${prefix}.to_k`, kvDim, ch, false);
    const v = linear(g, kv, `${prefix}.to_v`, kvDim, ch, false);
    return linear(g, attention(g, q, k, v, c.heads, ch), `${prefix}.to_out.0`, ch, ch);
  };
  const n1 = layerNorm(g, seq, `${block}.norm1`, ch, LAYER_NORM_EPS);
  seq = g.op('Add', [seq, attn(n1, `${block}.attn1`, n1, ch)]);
  const n2 = layerNorm(g, seq, `${block}.norm2`, ch, LAYER_NORM_EPS);
  seq = g.op('Add', [seq, attn(n2, `${block}.attn2`, context, c.crossAttentionDim)]);
  const n3 = layerNorm(g, seq, `${block}.norm3`, ch, LAYER_NORM_EPS);
  const [hidden, gate] = g.op('Split', [linear(g, n3, `${block}.ff.net.0.proj`, ch, 8 * ch)], { axis: -1 }, 2);
  const ff = linear(g, g.op('Mul', [hidden!, gelu(g, gate!)]), `${block}.ff.net.2`, 4 * ch, ch);
  seq = g.op('Add', [seq, ff]);
  const out = conv2d(g, fromSequence(g, seq, x), `${name}.proj_out`, ch, ch, 1);
  return g.op('Add', [out, x]);
}
