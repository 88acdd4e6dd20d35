import type { GraphBuilder } from './graphBuilder.js';

/**
 * Layers shared by the UNet, the VAE and the text encoder, as ONNX nodes with diffusers' parameter
 * names and shapes (`${name}.weight`, `${name}.bias`). Every function takes the builder, the input
 * value's name and the layer's state-dict prefix, and returns the output value's name.
 */

/** PyTorch's default init bound for a layer with `fanIn` inputs per output. */
const bound = (fanIn: number) => 1 / Math.sqrt(fanIn);

/** torch.nn.Linear: y = x W^T + b, W stored [out, in] as in the state dict. */
export function linear(g: GraphBuilder, x: string, name: string, inDim: number, outDim: number, bias = true): string {
  const w = g.weight(`${name}.weight`, [outDim, inDim], { bound: bound(inDim) });
  const y = g.op('MatMul', [x, g.op('Transpose', [w], { perm: [1, 0] })]);
  return bias ? g.op('Add', [y, g.weight(`${name}.bias`, [outDim], { bound: bound(inDim) })]) : y;
}

export interface ConvOptions {
  readonly stride?: number;
  /** ONNX pads [top, left, bottom, right]; default "same" for odd kernels */
  readonly pads?: readonly number[];
}

/** torch.nn.Conv2d with a square kernel, weight [out, in, k, k] and bias [out]. */
export function conv2d(g: GraphBuilder, x: string, name: string, inCh: number, outCh: number, kernel: number, options: ConvOptions = {}): string {
  const fanIn = inCh * kernel * kernel;
  const w = g.weight(`${name}.weight`, [outCh, inCh, kernel, kernel], { bound: bound(fanIn) });
  const b = g.weight(`${name}.bias`, [outCh], { bound: bound(fanIn) });
  const p = (kernel - 1) / 2;
  return g.op('Conv', [x, w, b], {
    kernel_shape: [kernel, kernel], strides: [options.stride ?? 1, options.stride ?? 1], pads: options.pads ?? [p, p, p, p],
  });
}

/** Affine parameters of a norm layer: weight 1 +- 0.1, bias +- 0.1 (so that they are not trivially 1 and 0). */
function normParameters(g: GraphBuilder, name: string, channels: number): [string, string] {
  return [g.weight(`${name}.weight`, [channels], { base: 1, bound: 0.1 }), g.weight(`${name}.bias`, [channels], { bound: 0.1 })];
}

/**
 * torch.nn.GroupNorm on [B, C, ...]: as torch exports it, InstanceNormalization over [B, groups, -1],
 * then the per-channel affine.
 */
export function groupNorm(g: GraphBuilder, x: string, name: string, channels: number, groups: number, eps: number): string {
  const [weight, bias] = normParameters(g, name, channels);
  const grouped = g.op('Reshape', [x, g.ints([0, groups, -1])]);
  const normed = g.op('InstanceNormalization', [grouped, g.floats(new Array<number>(groups).fill(1)), g.floats(new Array<number>(groups).fill(0))], { epsilon: eps });
  const back = g.op('Reshape', [normed, g.op('Shape', [x])]);
  const axes = g.ints([1, 2]);
  return g.op('Add', [g.op('Mul', [back, g.op('Unsqueeze', [weight, axes])]), g.op('Unsqueeze', [bias, axes])]);
}

/** torch.nn.LayerNorm over the last axis. */
export function layerNorm(g: GraphBuilder, x: string, name: string, dim: number, eps: number): string {
  const [weight, bias] = normParameters(g, name, dim);
  return g.op('LayerNormalization', [x, weight, bias], { axis: -1, epsilon: eps });
}

export function silu(g: GraphBuilder, x: string): string {
  return g.op('Mul', [x, g.op('Sigmoid', [x])]);
}

/** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)) (onnxruntime fuses the pattern into one kernel). */
export function gelu(g: GraphBuilder, x: string): string {
  const erf = g.op('Erf', [g.op('Mul', [x, g.floats([Math.SQRT1_2], [])])]);
  return g.op('Mul', [g.op('Mul', [x, g.floats([0.5], [])]), g.op('Add', [erf, g.floats([1], [])])]);
}

/**
 * Scaled dot-product attention over heads: q [B, N, dim], k and v [B, M, dim] -> [B, N, dim];
 * `mask` (broadcast to [B, heads, N, M]) is added to the scores before the softmax.
 */
export function attention(g: GraphBuilder, q: string, k: string, v: string, heads: number, dim: number, mask?: string): string {
  const headDim = dim / heads;
  const split = g.ints([0, 0, heads, headDim]);
  const qh = g.op('Transpose', [g.op('Reshape', [q, split])], { perm: [0, 2, 1, 3] });
  const kt = g.op('Transpose', [g.op('Reshape', [k, split])], { perm: [0, 2, 3, 1] });
  const vh = g.op('Transpose', [g.op('Reshape', [v, split])], { perm: [0, 2, 1, 3] });
  let scores = g.op('Mul', [g.op('MatMul', [qh, kt]), g.floats([1 / Math.sqrt(headDim)], [])]);
  if (mask) scores = g.op('Add', [scores, mask]);
  const out = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), vh]);
  return g.op('Reshape', [g.op('Transpose', [out], { perm: [0, 2, 1, 3] }), g.ints([0, 0, dim])]);
}

/** [B, C, H, W] -> [B, H*W, C] */
export function toSequence(g: GraphBuilder, x: string, channels: number): string {
  return g.op('Transpose', [g.op('Reshape', [x, g.ints([0, channels, -1])])], { perm: [0, 2, 1] });
}

/** [B, H*W, C] -> the shape of `like` ([B, C, H, W]) */
export function fromSequence(g: GraphBuilder, y: string, like: string): string {
  return g.op('Reshape', [g.op('Transpose', [y], { perm: [0, 2, 1] }), g.op('Shape', [like])]);
}

export interface ResnetOptions {
  readonly groups: number;
  readonly eps: number;
  /** the UNet's time embedding and its width (the VAE has none) */
  readonly temb?: { readonly value: string; readonly channels: number };
}

/** diffusers' ResnetBlock2D (output_scale_factor 1, no up/down sampling inside). */
export function resnetBlock(g: GraphBuilder, x: string, name: string, inCh: number, outCh: number, options: ResnetOptions): string {
  let h = conv2d(g, silu(g, groupNorm(g, x, `${name}.norm1`, inCh, options.groups, options.eps)), `${name}.conv1`, inCh, outCh, 3);
  if (options.temb) {
    const t = linear(g, silu(g, options.temb.value), `${name}.time_emb_proj`, options.temb.channels, outCh);
    h = g.op('Add', [h, g.op('Unsqueeze', [t, g.ints([2, 3])])]);
  }
  h = conv2d(g, silu(g, groupNorm(g, h, `${name}.norm2`, outCh, options.groups, options.eps)), `${name}.conv2`, outCh, outCh, 3);
  const skip = inCh === outCh ? x : conv2d(g, x, `${name}.conv_shortcut`, inCh, outCh, 1);
  return g.op('Add', [skip, h]);
}

/** diffusers' Downsample2D with a conv: stride 2; the VAE pads (0, 1, 0, 1) instead of 1 all round. */
export function downsample(g: GraphBuilder, x: string, name: string, channels: number, asymmetric: boolean): string {
  return conv2d(g, x, `${name}.conv`, channels, channels, 3, { stride: 2, ...(asymmetric ? { pads: [0, 0, 1, 1] } : {}) });
}

/** diffusers' Upsample2D: nearest-neighbour x2, then a 3x3 conv. */
export function upsample(g: GraphBuilder, x: string, name: string, channels: number): string {
  const up = g.op('Resize', [x, '', g.floats([1, 1, 2, 2], [4], 'float32')], {
    mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor',
  });
  return conv2d(g, up, `${name}.conv`, channels, channels, 3);
}
