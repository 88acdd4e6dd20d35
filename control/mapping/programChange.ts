import { type Command, commandFor, parameter, parseCommand } from '../protocol/index.js';
import type { MidiMessage } from './midiMessage.js';

/**
 * A program change selects a preset: program N is the Nth name of the list (0-based, as sent on
 * the wire; controllers that show "program 1" send 0). Nothing for other messages, programs past
 * the end of the list, or another channel when `channel` is given.
 */
export function presetForProgram(message: MidiMessage, presets: readonly string[], channel?: number): Command | null {
  if (message.type !== 'program' || (channel !== undefined && message.channel !== channel)) return null;
  const name = presets[message.number];
  if (name === undefined) return null;
  const parsed = parseCommand(commandFor(parameter('preset'), name));
  return parsed.ok ? parsed.command : null;
}
