import type { WeightSpec } from './graphBuilder.js';

/**
 * The values of one weight: `base + bound * u`, u uniform in [-1, 1), from a generator seeded by
 * (seed, weight name). The same seed gives the same model whatever order the weights are drawn in.
 * @example uniformWeights(0, { name: 'conv_in.bias', dims: [320], init: { bound: 0.1 } }) // 320 values in [-0.1, 0.1)
 */
export function uniformWeights(seed: number, weight: WeightSpec): Float32Array {
  const n = weight.dims.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const { bound, base = 0 } = weight.init;
  // sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded by FNV-1a of the name and the seed
  let a = fnv1a(weight.name, 0x811c9dc5);
  let b = fnv1a(weight.name, 0x9e3779b9 ^ seed);
  let c = (seed * 0x85ebca6b) | 0;
  let d = 1;
  const scale = (2 * bound) / 4294967296;
  for (let i = -12; i < n; i++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    if (i >= 0) out[i] = base - bound + (t >>> 0) * scale; // the first 12 outputs warm the state up
  }
  return out;
}

function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
