/**
 * The guidance + scheduler step of a first-order scheduler as a small ONNX graph, so the denoising
 * loop runs on the GPU without bringing latents back to the CPU between UNet calls:
 *
 *   e       = eps                          (batch 1: no CFG)
 *           | e_u + g (e_c - e_u)          (batch 2: [uncond; cond] split on the device)
 *   x_next  = a x + b e (+ c z)            (the scheduler step, affine; z = fresh noise for LCM)
 *   unet_in = s x_next, repeated for the next UNet's batch and cast to its dtype
 *
 * a, b, c, g, s come per step in a 5-value `coef` input (see affineStep.ts). Latents stay float32;
 * fp16 UNets are met with Casts at both ends.
 */
import type { ElemType, GraphSpec, NodeSpec } from '../onnx/onnxWriter.js';

export interface StepGraphShape {
  /** UNet output: dtype and batch (2 = CFG pair) */
  readonly epsType: 'float32' | 'float16';
  readonly epsBatch: 1 | 2;
  /** the next UNet's `sample` input */
  readonly nextType: 'float32' | 'float16';
  readonly nextBatch: 1 | 2;
  /** a `z` input for re-noising schedulers */
  readonly noise: boolean;
}

/** Positions in `coef`. */
export const COEF = { a: 0, b: 1, c: 2, guidance: 3, scaleNext: 4 } as const;

/**
 * The graph for one combination of dtypes, batches and noise.
 * @example
 * encodeOnnxModel(stepGraph({ epsType: 'float32', epsBatch: 2, nextType: 'float32', nextBatch: 2, noise: false }));
 */
export function stepGraph(shape: StepGraphShape): GraphSpec {
  const nodes: NodeSpec[] = [];
  let n = 0;
  const op = (type: string, inputs: string[], attributes?: NodeSpec['attributes'], out = `v${n++}`): string => {
    nodes.push({ op: type, inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  };
  const coef = (k: keyof typeof COEF) => op('Gather', ['coef', `index.${k}`], { axis: 0 });
  const cast = (x: string, to: ElemType, out?: string) => op('Cast', [x], { to: to === 'float16' ? 10 : 1 }, out);

  let e = shape.epsType === 'float32' ? 'eps' : cast('eps', 'float32');
  if (shape.epsBatch === 2) {
    nodes.push({ op: 'Split', inputs: [e, 'split.halves'], outputs: ['e_u', 'e_c'], attributes: { axis: 0 } });
    e = op('Add', ['e_u', op('Mul', [coef('guidance'), op('Sub', ['e_c', 'e_u'])])]);
  }
  let next = op('Add', [op('Mul', [coef('a'), 'x']), op('Mul', [coef('b'), e])]);
  if (shape.noise) next = op('Add', [next, op('Mul', [coef('c'), 'z'])]);
  op('Identity', [next], undefined, 'x_next');
  const scaled = op('Mul', [coef('scaleNext'), 'x_next']);
  const batch = shape.nextBatch === 2 ? op('Concat', [scaled, scaled], { axis: 0 }) : scaled;
  cast(batch, shape.nextType, 'unet_in');

  const latent = (name: string, type: ElemType, b: number | string) => ({ name, type, shape: [b, 'channels', 'height', 'width'] });
  return {
    inputs: [latent('x', 'float32', 1), latent('eps', shape.epsType, shape.epsBatch), { name: 'coef', type: 'float32', shape: [5] },
      ...(shape.noise ? [latent('z', 'float32', 1)] : [])],
    outputs: [latent('x_next', 'float32', 1), latent('unet_in', shape.nextType, shape.nextBatch)],
    nodes,
    initializers: [
      ...Object.entries(COEF).map(([k, i]) => ({ name: `index.${k}`, dims: [], data: BigInt64Array.of(BigInt(i)) })),
      { name: 'split.halves', dims: [2], data: BigInt64Array.of(1n, 1n) },
    ],
  };
}
