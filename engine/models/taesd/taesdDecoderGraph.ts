/**
 * TAESD's decoder (madebyollin/taesd, `taesd.py` `Decoder`, the tiny autoencoder distilled from
 * Stable Diffusion's VAE) as an ONNX graph with random weights: the real architecture and sizes
 * (1,222,531 parameters), so its cost, shapes and wiring can be tested and measured without the
 * published weights. Initializers are named as in `taesd_decoder.pth` (nn.Sequential indices), so
 * the real weights can be dropped in by name.
 *
 *   0 Clamp: tanh(x / 3) * 3      1 conv(C, 64) + ReLU       3..5 Block(64, 64) x 3
 *   6 Upsample x2 (nearest)       7 conv(64, 64, no bias)    8..10 Blocks, 11 Upsample, 12 conv
 *   13..15 Blocks, 16 Upsample, 17 conv                      18 Block, 19 conv(64, 3)
 * Block(x) = ReLU(conv(ReLU(conv(ReLU(conv(x))))) + x), every conv 3x3 with padding 1.
 * Input: latents [N, C, h, w] as the UNet produces them (no 1 / 0.18215: TAESD was trained on the
 * scaled latents); output [N, 3, 8h, 8w], pixels in 0..1 (not the SD VAE's -1..1), unclamped.
 */
import { gaussianNoise } from '../../diffusion/noiseGenerator.js';
import type { GraphSpec, Initializer, NodeSpec } from '../../onnx/onnxWriter.js';

const WIDTH = 64;
const STAGES = [3, 3, 3, 1] as const; // blocks before each upsample, then the last block

export interface TaesdDecoderOptions {
  /** weights are a pure function of the seed (default 0) */
  readonly seed?: number;
  /** latent channels (4 for SD 1.x) */
  readonly latentChannels?: number;
}

/**
 * The decoder graph and its weights.
 * @example
 * const bytes = encodeOnnxModel(taesdDecoderGraph({ seed: 1 }));
 */
export function taesdDecoderGraph(options: TaesdDecoderOptions = {}): GraphSpec {
  const channels = options.latentChannels ?? 4;
  const seed = options.seed ?? 0;
  const nodes: NodeSpec[] = [];
  const initializers: Initializer[] = [
    { name: 'clamp.three', dims: [], data: Float32Array.of(3) },
    { name: 'upsample.scales', dims: [4], data: Float32Array.of(1, 1, 2, 2) },
  ];
  let tensors = 0;
  const fresh = () => `t${tensors++}`;
  const op = (type: string, inputs: string[], attributes?: NodeSpec['attributes']): string => {
    const out = fresh();
    nodes.push({ op: type, inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  };
  const conv = (name: string, x: string, cin: number, cout: number, bias: boolean): string => {
    const fanIn = cin * 9;
    // PyTorch's default Conv2d init has variance 1 / (3 fan_in); a Gaussian of that variance here
    const scale = 1 / Math.sqrt(3 * fanIn);
    const w = gaussianNoise((seed + initializers.length * 0x9e3779b1) >>> 0, cout * fanIn).map((v) => v * scale);
    initializers.push({ name: `${name}.weight`, dims: [cout, cin, 3, 3], data: w });
    const inputs = [x, `${name}.weight`];
    if (bias) {
      initializers.push({ name: `${name}.bias`, dims: [cout], data: gaussianNoise((seed + initializers.length * 0x9e3779b1) >>> 0, cout).map((v) => v * scale) });
      inputs.push(`${name}.bias`);
    }
    return op('Conv', inputs, { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  };
  const block = (index: number, x: string): string => {
    let y = op('Relu', [conv(`${index}.conv.0`, x, WIDTH, WIDTH, true)]);
    y = op('Relu', [conv(`${index}.conv.2`, y, WIDTH, WIDTH, true)]);
    y = conv(`${index}.conv.4`, y, WIDTH, WIDTH, true);
    return op('Relu', [op('Add', [y, x])]);
  };

  let x = op('Mul', [op('Tanh', [op('Div', ['latent_sample', 'clamp.three'])]), 'clamp.three']);
  x = op('Relu', [conv('1', x, channels, WIDTH, true)]);
  let index = 3;
  STAGES.forEach((blocks, stage) => {
    for (let b = 0; b < blocks; b++) x = block(index++, x);
    if (stage === STAGES.length - 1) return;
    x = op('Resize', [x, '', 'upsample.scales']); // nearest, half_pixel: exact 2x repetition
    index++;
    x = conv(`${index++}`, x, WIDTH, WIDTH, false);
  });
  const last = conv(`${index}`, x, WIDTH, 3, true);
  nodes.push({ op: 'Identity', inputs: [last], outputs: ['sample'] });
  return {
    inputs: [{ name: 'latent_sample', type: 'float32', shape: ['batch', channels, 'height', 'width'] }],
    outputs: [{ name: 'sample', type: 'float32', shape: ['batch', 3, 'pixel_height', 'pixel_width'] }],
    nodes,
    initializers,
  };
}
