import type { GraphBuilder } from './graphBuilder.js';

/**
 * Generated graphs take and give float32 whatever their weights are (the sampler feeds float32):
 * an fp16 graph casts its float inputs to float16 on the way in and its outputs back on the way out.
 */
export function castIn(g: GraphBuilder, x: string): string {
  return g.floatType === 'float16' ? g.op('Cast', [x], { to: 10 }) : x;
}

export function castOut(g: GraphBuilder, x: string): string {
  return g.floatType === 'float16' ? g.op('Cast', [x], { to: 1 }) : x;
}
