import type REGL from 'regl';

/**
 * What every pass shares: one oversized triangle covering the screen (no seam along a
 * diagonal), `v_uv` 0..1 with y up, no depth test. Each pass's command spreads it in; the
 * vertex buffer is made once per context.
 */
export const FULL_SCREEN_VERT = `
precision highp float;
attribute vec2 position;
varying vec2 v_uv;
void main() {
  v_uv = 0.5 * (position + 1.0);
  gl_Position = vec4(position, 0.0, 1.0);
}`;

const buffers = new WeakMap<REGL.Regl, REGL.Buffer>();

export function fullScreen(regl: REGL.Regl) {
  let buffer = buffers.get(regl);
  if (!buffer) {
    buffer = regl.buffer([[-1, -1], [3, -1], [-1, 3]]);
    buffers.set(regl, buffer);
  }
  return { vert: FULL_SCREEN_VERT, attributes: { position: buffer }, count: 3, depth: { enable: false } } as const;
}
