import { type Parameter, findParameter } from '../protocol/index.js';
import type { Curve } from './curve.js';
import type { RelativeMode } from './relativeEncoder.js';

/**
 * How a knob takes over a value that was changed elsewhere (Ableton Live's vocabulary):
 * - `jump`: the value jumps to the knob at once;
 * - `pickup`: nothing happens until the knob crosses the current value, then it follows;
 * - `scale`: the value moves in the knob's direction, proportionally, so the two meet at the end
 *   of the knob's travel ("value scaling"); no jump, and no dead travel.
 */
export const TAKEOVER_MODES = ['jump', 'pickup', 'scale'] as const;
export type Takeover = (typeof TAKEOVER_MODES)[number];

/** A button: `toggle` flips on each press, `momentary` is on while held. */
export const NOTE_MODES = ['toggle', 'momentary'] as const;
export type NoteMode = (typeof NOTE_MODES)[number];

export const CONTROL_KINDS = ['cc', 'note'] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];

/** One physical control (a knob, fader, pad or key) on one device. */
export interface MidiControl {
  /** the device's port name, or a prefix of it (ALSA's trailing `client:port` numbers ignored) */
  readonly device: string;
  /** 0–15 (0 is what the controller calls channel 1) */
  readonly channel: number;
  readonly kind: ControlKind;
  /** controller or note number, 0–127 */
  readonly number: number;
}

/** A physical control bound to a parameter of the table. */
export interface MidiMapping extends MidiControl {
  readonly parameter: string;
  /** the value at the bottom and top of the knob's travel (numbers only; min > max inverts) */
  readonly min: number;
  readonly max: number;
  readonly curve: Curve;
  readonly takeover: Takeover;
  readonly relative: RelativeMode;
  readonly noteMode: NoteMode;
}

/** The parameter types a MIDI control can drive: text needs a keyboard, not a knob. */
const MAPPABLE: ReadonlySet<Parameter['type']> = new Set(['number', 'integer', 'boolean', 'enum', 'trigger']);

/** The parameter a mapping may drive, or why it may not (one line). */
export function mappableParameter(name: string): { ok: true; parameter: Parameter } | { ok: false; reason: string } {
  const p = findParameter(name);
  if (p === undefined) return { ok: false, reason: `unknown parameter "${name}"` };
  if (!MAPPABLE.has(p.type)) return { ok: false, reason: `"${name}" is ${p.type === 'string' ? 'text' : p.type} and cannot be driven by a MIDI control` };
  return { ok: true, parameter: p };
}

/** Sensible defaults for a new mapping (MIDI learn): the parameter's whole range, no jumps. */
export function defaultMapping(control: MidiControl, p: Parameter): MidiMapping {
  return {
    ...control,
    parameter: p.name,
    min: p.min ?? 0,
    max: p.max ?? 1,
    curve: 'linear',
    // pick-up: touching a knob mid-show never jumps the music (the mapping file can say otherwise)
    takeover: 'pickup',
    relative: 'none',
    noteMode: p.type === 'boolean' && control.kind === 'cc' ? 'momentary' : 'toggle',
  };
}

/** True when both name the same physical control. */
export function sameControl(a: MidiControl, b: MidiControl): boolean {
  return a.device === b.device && a.channel === b.channel && a.kind === b.kind && a.number === b.number;
}

/** A port name without ALSA's trailing `client:port` numbers, which change on every replug. */
export function stripPortNumbers(portName: string): string {
  return portName.replace(/\s+\d+:\d+$/, '');
}

/** Does a port name belong to a mapping's device (a prefix, ALSA numbers ignored)? */
export function deviceMatches(device: string, portName: string): boolean {
  return stripPortNumbers(portName).startsWith(stripPortNumbers(device));
}
