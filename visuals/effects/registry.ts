import { type Parameter, type ParameterName, parameter } from '../../control/protocol/parameters.js';

/**
 * The projector's effects, hydra style: each entry names its inputs (parameters of the show's
 * table, so each has an OSC address, a control on the page and MIDI learn) and a GLSL body.
 * composeEffects() wraps each body in a function of its kind and chains them, in this order,
 * into the one fragment shader of the effects pass; docs/visuals.md's table is generated from
 * this list (a test keeps it in sync).
 *
 * Kinds and the function each body is the inside of:
 * - `coord`: `vec2 fx_<name>(vec2 uv)`: where on the scene this pixel looks;
 * - `color`: `vec4 fx_<name>(vec4 c, vec2 uv)`: the colour found there, changed.
 * The scene's alpha is 0 where nothing is drawn (before the first segment, above the terrain).
 * Bodies see their inputs as `u_<short name>` floats (enums as their 0-based index, booleans 0/1),
 * plus `u_beat` (beats heard, fractional), `u_focus` (the zoom's centre), `u_resolution` (pixels)
 * and `u_previous` (the last frame shown, for feedback).
 */
export type EffectKind = 'coord' | 'color';

export interface Effect {
  readonly name: string;
  readonly kind: EffectKind;
  /** one line for docs/visuals.md */
  readonly help: string;
  readonly inputs: readonly ParameterName[];
  readonly glsl: string;
}

export const EFFECTS = [
  {
    name: 'zoom', kind: 'coord', inputs: ['visual.zoom'],
    help: 'magnifies the picture about the playhead (timeline) or the centre (frame)',
    glsl: 'return u_focus + (uv - u_focus) / max(u_zoom, 1.0);',
  },
  {
    name: 'mirror', kind: 'coord', inputs: ['visual.mirror'],
    help: 'repeats the left half mirrored on the right, the top on the bottom, or both',
    glsl: `
      if (u_mirror == 1.0 || u_mirror == 3.0) uv.x = uv.x < 0.5 ? uv.x : 1.0 - uv.x;
      if (u_mirror == 2.0 || u_mirror == 3.0) uv.y = uv.y > 0.5 ? uv.y : 1.0 - uv.y;
      return uv;`,
  },
  {
    name: 'kaleidoscope', kind: 'coord', inputs: ['visual.kaleidoscope'],
    help: 'folds the picture into mirrored segments around the centre',
    glsl: `
      if (u_kaleidoscope < 2.0) return uv;
      vec2 p = uv - 0.5;
      p.x *= u_resolution.x / u_resolution.y;
      float segment = 6.28318530718 / u_kaleidoscope;
      float a = mod(atan(p.y, p.x), segment);
      a = abs(a - 0.5 * segment);
      vec2 q = length(p) * vec2(cos(a), sin(a));
      q.x /= u_resolution.x / u_resolution.y;
      return clamp(q + 0.5, 0.0, 1.0);`,
  },
  {
    name: 'colormap', kind: 'color', inputs: ['visual.colormap'],
    help: 'colours a mono picture by its loudness (darkness is loudness in a sound-picture): silence black, the loudest brightest; fire, ice, neon or rainbow',
    glsl: `
      // nothing drawn there (alpha 0): black, not the loudest colour
      if (u_colormap < 0.5 || c.a < 0.01) return c;
      float l = 1.0 - dot(c.rgb, vec3(0.2126, 0.7152, 0.0722));
      vec3 m;
      if (u_colormap < 1.5) m = clamp(vec3(3.0 * l, 3.0 * l - 1.0, 3.0 * l - 2.0), 0.0, 1.0);
      else if (u_colormap < 2.5) m = clamp(vec3(3.0 * l - 2.0, 3.0 * l - 1.0, 3.0 * l), 0.0, 1.0);
      else if (u_colormap < 3.5) m = (0.5 + 0.5 * cos(6.28318530718 * (l + vec3(0.0, 0.33, 0.67)))) * smoothstep(0.0, 0.2, l);
      else m = clamp(abs(mod(l * 4.8 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0) * smoothstep(0.0, 0.1, l);
      return vec4(m, c.a);`,
  },
  {
    name: 'saturation', kind: 'color', inputs: ['visual.saturation'],
    help: 'colour saturation (the sound-picture write-up boosts it by hand after generation)',
    glsl: `
      float l = dot(c.rgb, vec3(0.2126, 0.7152, 0.0722));
      return vec4(clamp(mix(vec3(l), c.rgb, u_saturation), 0.0, 1.0), c.a);`,
  },
  {
    name: 'brightnessContrast', kind: 'color', inputs: ['visual.brightness', 'visual.contrast'],
    help: 'contrast about mid-grey, then brightness added',
    glsl: 'return vec4(clamp((c.rgb - 0.5) * u_contrast + 0.5 + u_brightness, 0.0, 1.0), c.a);',
  },
  {
    name: 'pulse', kind: 'color', inputs: ['visual.pulse'],
    help: 'brightens on every beat heard, fading over the beat',
    glsl: 'return vec4(clamp(c.rgb * (1.0 + u_pulse * exp(-5.0 * fract(u_beat))), 0.0, 1.0), c.a);',
  },
  {
    name: 'trails', kind: 'color', inputs: ['visual.trails'],
    help: 'feedback: the last frame shown stays, fading by this factor each frame',
    glsl: 'return max(c, texture2D(u_previous, uv) * u_trails);',
  },
  {
    name: 'strobe', kind: 'color', inputs: ['visual.strobe'],
    help: 'a white flash at the start of every beat heard',
    glsl: 'return mix(c, vec4(1.0), u_strobe * step(fract(u_beat), 0.1));',
  },
  {
    name: 'blackout', kind: 'color', inputs: ['blackout'],
    help: 'black at once, the sound plays on (the renderer also skips drawing, so it holds even without this shader)',
    glsl: 'return u_blackout > 0.5 ? vec4(0.0, 0.0, 0.0, 1.0) : c;',
  },
] as const satisfies readonly Effect[];

/** The visual parameters the scene pass reads rather than an effect: the look, its span, its bar lines. */
export const SCENE_INPUTS = ['look', 'visual.speed', 'visual.bars'] as const satisfies readonly ParameterName[];

/** An effect's inputs with their types, ranges and defaults (from the parameter table). */
export function effectInputs(effect: Effect): readonly Parameter[] {
  return effect.inputs.map((name) => parameter(name));
}

/** `u_saturation` for `visual.saturation`, `u_blackout` for `blackout`. */
export function uniformName(name: ParameterName | string): string {
  return `u_${name.startsWith('visual.') ? name.slice('visual.'.length) : name}`;
}
