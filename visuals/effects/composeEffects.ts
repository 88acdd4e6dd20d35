import type { Effect } from './registry.js';
import { uniformName } from './registry.js';

/** Uniforms every effects shader has, besides the effects' own inputs. */
export const COMMON_UNIFORMS = ['u_beat', 'u_focus', 'u_resolution', 'u_scene', 'u_previous'] as const;

/**
 * The effects pass's fragment shader: each effect's body wrapped in its function, coordinate
 * effects chained on the pixel's position, then colour effects on the colour found there, in
 * the given order. Pure (no GL); compiling it is the renderer's job, which keeps the last good
 * program when a new one fails.
 */
export function composeEffects(effects: readonly Effect[]): { frag: string; inputs: readonly string[] } {
  const inputs = [...new Set(effects.flatMap((e) => e.inputs.map(uniformName)))];
  const functions = effects.map((e) =>
    e.kind === 'coord' ? `vec2 fx_${e.name}(vec2 uv) {\n${e.glsl}\n}` : `vec4 fx_${e.name}(vec4 c, vec2 uv) {\n${e.glsl}\n}`);
  const coords = effects.filter((e) => e.kind === 'coord').map((e) => `  uv = fx_${e.name}(uv);`);
  const colors = effects.filter((e) => e.kind === 'color').map((e) => `  c = fx_${e.name}(c, v_uv);`);
  const frag = [
    'precision highp float;',
    'varying vec2 v_uv;',
    'uniform sampler2D u_scene;',
    'uniform sampler2D u_previous;',
    'uniform float u_beat;',
    'uniform vec2 u_focus;',
    'uniform vec2 u_resolution;',
    ...inputs.map((u) => `uniform float ${u};`),
    ...functions,
    'void main() {',
    '  vec2 uv = v_uv;',
    ...coords,
    '  vec4 c = texture2D(u_scene, uv);',
    ...colors,
    '  gl_FragColor = vec4(c.rgb, 1.0);',
    '}',
  ].join('\n');
  return { frag, inputs };
}
