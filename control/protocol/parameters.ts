/**
 * THE parameter table: every control of a show, once. The command schema takes its ranges from
 * here, docs/commands.md's table is generated from it (`npm run docs:commands`, checked by a
 * test), and the OSC address space, the web page's controls and the MIDI-learn targets are derived
 * from it. A parameter added here appears on every surface.
 *
 * Browser-safe: imports nothing from the project and nothing from `node:`.
 */

/**
 * How a change takes effect:
 * - `instant`: applied to the audio on the next chunk (milliseconds), never re-rendered;
 * - `generative`: new segments are rendered and switched in at the next quantum boundary;
 * - `transport`: the clock (tempo, bars, phase); heard through the segments fitted to it;
 * - `visual`: the projector's look and effects (visuals/); the sound does not change.
 */
export type ParameterKind = 'instant' | 'generative' | 'transport' | 'visual';

/** `trigger`: an action without a value (tap, resync). */
export type ParameterType = 'number' | 'integer' | 'boolean' | 'string' | 'enum' | 'trigger';

export interface Parameter {
  /** dotted name; OSC address `/synesthete/` + name with dots as slashes */
  readonly name: string;
  readonly kind: ParameterKind;
  readonly type: ParameterType;
  readonly min?: number;
  readonly max?: number;
  /** enum values */
  readonly values?: readonly string[];
  /** strings: the longest accepted */
  readonly maxLength?: number;
  /** the value before any command; null: none (e.g. the preset's own prompt applies) */
  readonly default: number | boolean | string | null;
  readonly unit?: string;
  /** one line for docs, --help, tooltips */
  readonly help: string;
  /** the command a value becomes: `{type, ...fixed, [field]: value}` */
  readonly command: { readonly type: string; readonly field?: string; readonly fixed?: Readonly<Record<string, string>> };
}

export const QUANTA = ['now', 'beat', 'bar', '2bars', '4bars', 'segment'] as const;
export const MODEL_ROLES = ['audio', 'picture'] as const;
export const SOURCES = ['diffusion', 'images', 'imprint', 'session'] as const;
/** The projector's looks: the scrolling timeline, the current picture full-frame, the timeline as a 3D height map. */
export const LOOKS = ['timeline', 'frame', 'terrain', 'listen'] as const;
export const COLORMAPS = ['off', 'fire', 'ice', 'neon', 'rainbow'] as const;
export const MIRRORS = ['off', 'horizontal', 'vertical', 'both'] as const;

const TEXT_MAX = 500;
const NAME_MAX = 200;
const PATH_MAX = 4096;

const table = [
  { name: 'prompt.audio', kind: 'generative', type: 'string', maxLength: TEXT_MAX, default: null, help: 'what the music should be: the prompt of the audio model\'s blocks', command: { type: 'prompt', field: 'text', fixed: { model: 'audio' } } },
  { name: 'prompt.picture', kind: 'generative', type: 'string', maxLength: TEXT_MAX, default: null, help: 'what the picture should be: the prompt of the picture model\'s blocks', command: { type: 'prompt', field: 'text', fixed: { model: 'picture' } } },
  { name: 'seed', kind: 'generative', type: 'integer', min: 0, max: 2 ** 32 - 1, default: 0, help: 'seed of the initial noise (0: the preset\'s); the walk moves on from it segment by segment', command: { type: 'seed', field: 'value' } },
  { name: 'mix', kind: 'generative', type: 'number', min: 0, max: 1, default: 0.5, help: 'picture against sound: 0 the audio model alone, 1 the picture model alone (weights, or the rhythm of an alternate plan)', command: { type: 'mix', field: 'value' } },
  { name: 'guidance.audio', kind: 'generative', type: 'number', min: 0, max: 50, default: null, help: 'classifier-free guidance of the audio model: higher follows the prompt more closely', command: { type: 'guidance', field: 'value', fixed: { model: 'audio' } } },
  { name: 'guidance.picture', kind: 'generative', type: 'number', min: 0, max: 50, default: null, help: 'classifier-free guidance of the picture model', command: { type: 'guidance', field: 'value', fixed: { model: 'picture' } } },
  { name: 'preset', kind: 'generative', type: 'string', maxLength: NAME_MAX, default: null, help: 'switch the diffusion source to a preset: a name in the preset folder (--presets) or presets/ (a path to a file only from an --events script)', command: { type: 'preset', field: 'name' } },
  { name: 'source', kind: 'generative', type: 'enum', values: SOURCES, default: 'imprint', help: 'where segments come from: diffusion (models), images (a folder of sound-pictures), imprint (no models), session (rehearse only)', command: { type: 'source', field: 'name' } },
  { name: 'imprint.text', kind: 'generative', type: 'string', maxLength: TEXT_MAX, default: null, help: 'words imprinted on the beat (imprint source)', command: { type: 'imprint', field: 'text' } },
  { name: 'imprint.image', kind: 'generative', type: 'string', maxLength: PATH_MAX, default: null, help: 'a PNG or JPEG imprinted on the beat (imprint source): from the page, OSC or MIDI a name in the pictures folder (--pictures, default ./pictures); a path only from an --events script', command: { type: 'imprint', field: 'image' } },
  { name: 'imprint.strength', kind: 'generative', type: 'number', min: 0, max: 1, default: 0.5, help: 'how strongly the imprint shows: 0 not at all, 1 white areas silent', command: { type: 'imprint', field: 'strength' } },
  { name: 'tempo', kind: 'transport', type: 'number', min: 20, max: 300, default: 120, unit: 'BPM', help: 'master tempo; segments are fitted to whole bars of it (within 2 %: retimed at once)', command: { type: 'tempo', field: 'bpm' } },
  { name: 'meter', kind: 'transport', type: 'integer', min: 1, max: 16, default: 4, unit: 'beats per bar', help: 'beats per bar; the bar in progress keeps its downbeat', command: { type: 'meter', field: 'beats' } },
  { name: 'tap', kind: 'transport', type: 'trigger', default: null, help: 'tap tempo: the tempo of the last taps (from the second tap on; a 2 s pause starts over)', command: { type: 'tap' } },
  { name: 'resync', kind: 'transport', type: 'trigger', default: null, help: 'the next beat becomes beat 1 of a bar', command: { type: 'resync' } },
  { name: 'nudge', kind: 'transport', type: 'number', min: -1, max: 1, default: 0, unit: 'beats', help: 'shift the phase like a DJ nudging a platter (the music bends ahead or back by this much)', command: { type: 'nudge', field: 'beats' } },
  { name: 'quantize', kind: 'transport', type: 'enum', values: QUANTA, default: 'bar', help: 'when generative changes switch in: now (as soon as rendered), beat, bar, 2bars, 4bars, or segment (at the end of the one playing)', command: { type: 'quantize', field: 'value' } },
  { name: 'gain', kind: 'instant', type: 'number', min: 0, max: 1, default: 1, help: 'master level (linear amplitude, smoothed)', command: { type: 'gain', field: 'value' } },
  { name: 'filter', kind: 'instant', type: 'number', min: -1, max: 1, default: 0, help: 'the one-knob DJ filter: below 0 a resonant low-pass sweeping down, above 0 a high-pass sweeping up, 0 bypass', command: { type: 'filter', field: 'value' } },
  { name: 'freeze', kind: 'instant', type: 'boolean', default: false, help: 'hold the loop that is playing (and its picture); generation goes on behind it and the latest follows on release', command: { type: 'freeze', field: 'on' } },
  // The projector (visuals/effects/registry.ts composes these into its shader; docs/visuals.md).
  { name: 'look', kind: 'visual', type: 'enum', values: LOOKS, default: 'timeline', help: 'what the projector shows: timeline (pictures scrolling past a playhead, the column under it heard now), frame (the current picture full-frame with a moving playhead), terrain (the timeline as a 3D height map, loudness as height), listen (the music coming in, perform --listen: no model needed)', command: { type: 'look', field: 'name' } },
  { name: 'blackout', kind: 'visual', type: 'boolean', default: false, help: 'the projector goes black at once; the sound plays on', command: { type: 'blackout', field: 'on' } },
  ...visual('saturation', 'number', { min: 0, max: 4, default: 1 }, 'colour saturation: 0 grey, 1 as generated, above 1 boosted'),
  ...visual('colormap', 'enum', { values: COLORMAPS, default: 'off' }, 'a colour map for mono pictures: the loudness picks the colour, silence goes black (off: the picture\'s own colours)'),
  ...visual('brightness', 'number', { min: -1, max: 1, default: 0 }, 'added to every colour: -1 black, 0 as is, 1 white'),
  ...visual('contrast', 'number', { min: 0, max: 4, default: 1 }, 'contrast around mid-grey: 0 flat grey, 1 as is'),
  ...visual('zoom', 'number', { min: 1, max: 8, default: 1 }, 'magnification'),
  ...visual('speed', 'number', { min: 0.25, max: 4, default: 1 }, 'scroll speed of the timeline looks: at 1 the screen spans 8 seconds of sound, at 2 four'),
  ...visual('mirror', 'enum', { values: MIRRORS, default: 'off' }, 'mirror the output: horizontal (left half repeated on the right), vertical (top on the bottom), both'),
  ...visual('kaleidoscope', 'integer', { min: 0, max: 12, default: 0, unit: 'segments' }, 'a kaleidoscope of this many mirrored segments around the centre (0 off)'),
  ...visual('trails', 'number', { min: 0, max: 0.95, default: 0 }, 'feedback trails: how much of the previous frame stays on screen (0 none)'),
  ...visual('pulse', 'number', { min: 0, max: 1, default: 0 }, 'beat-synced pulse: the picture brightens on every beat and fades over the beat, by this much'),
  ...visual('strobe', 'number', { min: 0, max: 1, default: 0 }, 'beat-synced strobe: a white flash of this strength at every beat'),
  ...visual('bars', 'number', { min: 0, max: 1, default: 0.25 }, 'opacity of the bar and beat lines drawn over the timeline looks (0 none)'),
] as const satisfies readonly Parameter[];

export type ParameterName = (typeof table)[number]['name'];

/** The effect inputs: `visual.<name>`, each set by `{"type":"visual","name":<name>,"value":...}`. */
export type VisualName = ShortName<ParameterName>;
type ShortName<T> = T extends `visual.${infer N}` ? N : never;

/** Every effect input's short name, in table order. */
export const VISUAL_NAMES: readonly VisualName[] = table.flatMap((p) => (p.name.startsWith('visual.') ? [p.name.slice('visual.'.length) as VisualName] : []));

/** A `visual.<name>` parameter (one line in the table above). */
function visual<const N extends string, const T extends 'number' | 'integer' | 'enum', const R extends { min?: number; max?: number; values?: readonly string[]; default: number | string; unit?: string }>(
  name: N, type: T, range: R, help: string,
) {
  return [{ name: `visual.${name}` as const, kind: 'visual' as const, type, ...range, help, command: { type: 'visual' as const, field: 'value' as const, fixed: { name } } }] as const;
}

/** Every parameter, in documentation order. */
export const PARAMETERS: readonly Parameter[] = table;

const byName = new Map<string, Parameter>(table.map((p) => [p.name, p]));

/** One parameter by name; throws for a name not in the table (a programming error). */
export function parameter(name: ParameterName): Parameter {
  return byName.get(name)!;
}

/** The parameter, or undefined for an unknown name (names from surfaces are user input). */
export function findParameter(name: string): Parameter | undefined {
  return byName.get(name);
}

/** The command a parameter value becomes (unvalidated: pass it to `parseCommand`). */
export function commandFor(p: Parameter, value?: unknown): Record<string, unknown> {
  const c: Record<string, unknown> = { type: p.command.type, ...p.command.fixed };
  if (p.command.field !== undefined) c[p.command.field] = value;
  return c;
}

/** Human-readable range of a parameter, as in the docs table. */
export function describeRange(p: Parameter): string {
  switch (p.type) {
    case 'number': return `${p.min}–${p.max}`;
    case 'integer': return `${p.min}–${p.max} (whole)`;
    case 'boolean': return 'true | false';
    case 'enum': return p.values!.join(' \\| ');
    case 'string': return `1–${p.maxLength} characters`;
    case 'trigger': return '(no value)';
  }
}
