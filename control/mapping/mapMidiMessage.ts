import { type Command, type Parameter, commandFor, parseCommand } from '../protocol/index.js';
import { type MappedValue, positionOf, valueAt } from './controlPosition.js';
import { MIDI_MAX, type MidiMessage } from './midiMessage.js';
import type { MidiMapping } from './midiMapping.js';
import { relativeStep } from './relativeEncoder.js';

/**
 * What one control remembers between messages (pure data: the caller keeps one per mapping and
 * passes it back in). Start with `FRESH_MEMORY`.
 */
export interface ControlMemory {
  /** the knob's last position, 0–1 (null: not seen yet) */
  readonly position: number | null;
  /** the value this control last produced (null: none yet) */
  readonly sent: MappedValue | null;
  /** the knob and the value agree: the knob drives the value directly (takeover done) */
  readonly synced: boolean;
}

export const FRESH_MEMORY: ControlMemory = { position: null, sent: null, synced: false };

export interface MidiMapResult {
  /** the command to submit, if the message changes anything */
  readonly command?: Command;
  /** the value the command sets (absent for triggers) */
  readonly value?: MappedValue;
  readonly memory: ControlMemory;
}

/** Half a step of a 7-bit knob: positions closer than this are the same position. */
const HALF_STEP = 0.5 / MIDI_MAX;
/** A button is pressed above this (the usual 0/127 buttons, and CC switches sent as 0–63/64–127). */
const PRESSED_ABOVE = 63;

/** Does the message come from the mapping's control (channel, CC or note number)? */
export function messageMatches(mapping: MidiMapping, message: MidiMessage): boolean {
  switch (message.type) {
    case 'cc': return mapping.kind === 'cc' && message.channel === mapping.channel && message.controller === mapping.number;
    case 'noteon': case 'noteoff': return mapping.kind === 'note' && message.channel === mapping.channel && message.note === mapping.number;
    default: return false;
  }
}

/**
 * The command an incoming message means for one mapping, given the parameter's current value
 * (`null` when it has none, e.g. guidance before any is set). Pure: the same inputs give the same
 * result, and the returned memory is passed back in with the next message.
 *
 * `current` must count this surface's own commands as applied as soon as they are sent (and
 * change only when another surface changes the value): state snapshots arrive later than the knob
 * moves, and a stale one would look like a change made elsewhere and break the takeover.
 *
 * Nothing is returned for a message that does not match the mapping, or that would set the value
 * it already has (a knob sends far more messages than a show needs).
 */
export function mapMidiMessage(
  mapping: MidiMapping,
  p: Parameter,
  message: MidiMessage,
  current: MappedValue | null,
  memory: ControlMemory,
): MidiMapResult {
  if (!messageMatches(mapping, message)) return { memory };
  if (p.type === 'trigger') return trigger(p, message, memory);
  if (message.type === 'cc' && mapping.relative !== 'none') return relative(mapping, p, message.value, current, memory);
  if (message.type === 'cc' && p.type !== 'boolean') return absolute(mapping, p, message.value / MIDI_MAX, current, memory);
  return button(mapping, p, message, current, memory);
}

/** tap, resync: a note-on, or a CC rising above 63 (a knob held high does not keep tapping) */
function trigger(p: Parameter, message: MidiMessage, memory: ControlMemory): MidiMapResult {
  const pressed = isPressed(message);
  const wasPressed = memory.position !== null && memory.position > PRESSED_ABOVE / MIDI_MAX;
  const next = { ...memory, position: pressedPosition(message) };
  if (!pressed || (message.type === 'cc' && wasPressed)) return { memory: next };
  return emit(p, undefined, next);
}

/** Endless encoders: the value moves from where it is, so there is nothing to take over. */
function relative(mapping: MidiMapping, p: Parameter, data: number, current: MappedValue | null, memory: ControlMemory): MidiMapResult {
  const step = relativeStep(mapping.relative, data);
  if (step === 0) return { memory };
  const from = current ?? p.default ?? (p.type === 'boolean' ? false : mapping.min);
  let value: MappedValue;
  switch (p.type) {
    case 'boolean': value = step > 0; break;
    // one value per message, whatever the speed: skipping a quantum by accident is worse than turning twice
    case 'enum': {
      const values = p.values!;
      const i = Math.max(0, values.indexOf(String(from)));
      value = values[Math.min(values.length - 1, Math.max(0, i + Math.sign(step)))]!;
      break;
    }
    // whole numbers one by one (walking seeds, meters); fractions in 1/127 of the travel
    case 'integer': value = Math.min(p.max!, Math.max(p.min!, Number(from) + step)); break;
    default: value = valueAt(mapping, p, positionOf(mapping, p, from) + step / MIDI_MAX);
  }
  return changeTo(p, value, current, { position: null, sent: value, synced: true });
}

/** Knobs and faders: the takeover decides whether and how the value follows the knob. */
function absolute(mapping: MidiMapping, p: Parameter, knob: number, current: MappedValue | null, memory: ControlMemory): MidiMapResult {
  const synced = current === null || (memory.synced && memory.sent !== null && current === memory.sent) || mapping.takeover === 'jump';
  const here = current === null ? knob : positionOf(mapping, p, current);
  let target: number | null = null;
  let nowSynced = true;
  if (synced || Math.abs(knob - here) <= HALF_STEP) {
    target = knob;
  } else if (mapping.takeover === 'pickup') {
    // the knob picks the value up when it passes it, in either direction
    if (memory.position !== null && (memory.position - here) * (knob - here) <= 0) target = knob;
  } else if (memory.position !== null && knob !== memory.position) {
    // value scaling: cover the remaining distance in proportion to the knob's remaining travel
    const prev = memory.position;
    const scaled = knob > prev ? here + ((knob - prev) * (1 - here)) / (1 - prev) : here - ((prev - knob) * here) / prev;
    nowSynced = Math.abs(scaled - knob) <= HALF_STEP;
    target = nowSynced ? knob : scaled;
  }
  if (target === null) return { memory: { ...memory, position: knob, synced: false } };
  const value = valueAt(mapping, p, target);
  return changeTo(p, value, current, { position: knob, sent: value, synced: nowSynced });
}

/** Notes (and CC buttons on booleans): toggle flips on each press, momentary follows the button. */
function button(mapping: MidiMapping, p: Parameter, message: MidiMessage, current: MappedValue | null, memory: ControlMemory): MidiMapResult {
  const pressed = isPressed(message);
  const wasPressed = memory.position !== null && memory.position > PRESSED_ABOVE / MIDI_MAX;
  const next: ControlMemory = { ...memory, position: pressedPosition(message) };
  const [off, on] = ends(mapping, p);
  let value: MappedValue;
  if (p.type === 'enum') {
    // a pad steps through the values, round and round
    if (!pressed || (message.type === 'cc' && wasPressed)) return { memory: next };
    const values = p.values!;
    value = values[(values.indexOf(String(current ?? p.default)) + 1) % values.length]!;
  } else if (mapping.noteMode === 'momentary') {
    value = pressed ? on : off;
  } else {
    if (!pressed || (message.type === 'cc' && wasPressed)) return { memory: next };
    const isOn = current !== null && (p.type === 'boolean' ? current === true : Math.abs(Number(current) - Number(on)) < Math.abs(Number(current) - Number(off)));
    value = isOn ? off : on;
  }
  return changeTo(p, value, current, { ...next, sent: value, synced: true });
}

/** A button's two values: false/true, or the mapping's min and max. */
function ends(mapping: MidiMapping, p: Parameter): [MappedValue, MappedValue] {
  return p.type === 'boolean' ? [false, true] : [valueAt(mapping, p, 0), valueAt(mapping, p, 1)];
}

function isPressed(message: MidiMessage): boolean {
  if (message.type === 'noteon') return message.velocity > 0;
  return message.type === 'cc' && message.value > PRESSED_ABOVE;
}

/** Buttons remember their last state as a knob position (0 or the CC value). */
function pressedPosition(message: MidiMessage): number {
  if (message.type === 'cc') return message.value / MIDI_MAX;
  return isPressed(message) ? 1 : 0;
}

function changeTo(p: Parameter, value: MappedValue, current: MappedValue | null, memory: ControlMemory): MidiMapResult {
  // the knob's news is remembered even when the value stays (a slow knob on a coarse enum)
  if (current !== null && value === current) return { memory };
  return emit(p, value, memory);
}

function emit(p: Parameter, value: MappedValue | undefined, memory: ControlMemory): MidiMapResult {
  const parsed = parseCommand(commandFor(p, value));
  // mappings are validated against the table on load, so a refusal here is a bug worth seeing in tests
  if (!parsed.ok) return { memory };
  return value === undefined ? { command: parsed.command, memory } : { command: parsed.command, value, memory };
}
