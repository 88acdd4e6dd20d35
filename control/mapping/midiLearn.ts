import type { MidiMessage } from './midiMessage.js';
import { type MidiControl, type MidiMapping, defaultMapping, mappableParameter, sameControl, stripPortNumbers } from './midiMapping.js';

/** MIDI learn: idle, or waiting for a control for one parameter. */
export type LearnState = { readonly armed: null } | { readonly armed: string };

export const LEARN_IDLE: LearnState = { armed: null };

/** Arms learn for a parameter (from the page's learn button or `midi learn`); one line if it cannot be mapped. */
export function armLearn(parameterName: string): { ok: true; state: LearnState } | { ok: false; reason: string } {
  const found = mappableParameter(parameterName);
  return found.ok ? { ok: true, state: { armed: found.parameter.name } } : found;
}

/** Cancels learn (Escape, the button pressed again): nothing is mapped. */
export function cancelLearn(): LearnState {
  return LEARN_IDLE;
}

export interface LearnResult {
  readonly state: LearnState;
  /** the mappings, with the new one in place of any on the same control */
  readonly mappings: readonly MidiMapping[];
  readonly learned?: MidiMapping;
  /** the mapping the new one replaced (same control), to say so */
  readonly replaced?: MidiMapping;
}

/**
 * Feeds one incoming message to learn. While armed, the first CC or note-on from any device
 * becomes a mapping with sensible defaults (`defaultMapping`) and learn goes idle; a mapping on
 * the same control is replaced (one control drives one parameter). Note-offs, clock and program
 * changes do not count: releasing a pad or a running clock must not map anything.
 */
export function learnFrom(state: LearnState, mappings: readonly MidiMapping[], portName: string, message: MidiMessage): LearnResult {
  if (state.armed === null) return { state, mappings };
  const control = controlOf(portName, message);
  if (control === null) return { state, mappings };
  const found = mappableParameter(state.armed);
  // armLearn checked it; a table that lost the parameter since is a reason to stop, not to throw
  if (!found.ok) return { state: LEARN_IDLE, mappings };
  const learned = defaultMapping(control, found.parameter);
  const replaced = mappings.find((m) => sameControl(m, control));
  const kept = mappings.filter((m) => !sameControl(m, control));
  return replaced === undefined
    ? { state: LEARN_IDLE, mappings: [...kept, learned], learned }
    : { state: LEARN_IDLE, mappings: [...kept, learned], learned, replaced };
}

function controlOf(portName: string, message: MidiMessage): MidiControl | null {
  const device = stripPortNumbers(portName);
  if (message.type === 'cc') return { device, channel: message.channel, kind: 'cc', number: message.controller };
  if (message.type === 'noteon' && message.velocity > 0) return { device, channel: message.channel, kind: 'note', number: message.note };
  return null;
}
