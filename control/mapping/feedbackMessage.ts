import type { Parameter } from '../protocol/index.js';
import { type MappedValue, positionOf } from './controlPosition.js';
import { MIDI_MAX, type MidiMessage } from './midiMessage.js';
import type { MidiMapping } from './midiMapping.js';

/**
 * The message that shows a value on the mapping's control (an LED ring, a lit pad, a motor
 * fader): the inverse of `mapMidiMessage`, through the same range and curve, so sending it back
 * in gives the same value. Null where there is nothing to show (triggers, a parameter without a
 * value, an enum on a pad). Relative encoders get the absolute position: LED rings expect it.
 */
export function feedbackMessage(mapping: MidiMapping, p: Parameter, value: MappedValue | null): MidiMessage | null {
  if (value === null || p.type === 'trigger') return null;
  const position = positionOf(mapping, p, value);
  if (mapping.kind === 'cc') {
    return { type: 'cc', channel: mapping.channel, controller: mapping.number, value: Math.round(position * MIDI_MAX) };
  }
  if (p.type === 'enum') return null;
  // lit or dark; velocity 0 is a note-off to every controller
  return { type: 'noteon', channel: mapping.channel, note: mapping.number, velocity: position >= 0.5 ? MIDI_MAX : 0 };
}
