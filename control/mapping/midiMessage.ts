/**
 * MIDI messages as the mapping core sees them: already decoded from bytes by the backend (easymidi
 * names), channels 0–15 (0 is what a controller calls "channel 1"), data bytes 0–127.
 */
export type MidiMessage =
  | { readonly type: 'cc'; readonly channel: number; readonly controller: number; readonly value: number }
  | { readonly type: 'noteon'; readonly channel: number; readonly note: number; readonly velocity: number }
  | { readonly type: 'noteoff'; readonly channel: number; readonly note: number; readonly velocity: number }
  | { readonly type: 'program'; readonly channel: number; readonly number: number }
  | { readonly type: 'clock' }
  | { readonly type: 'start' }
  | { readonly type: 'stop' }
  | { readonly type: 'continue' }
  /** song position pointer, in MIDI beats (sixteenth notes, 6 clock ticks each) */
  | { readonly type: 'position'; readonly value: number };

export type MidiMessageType = MidiMessage['type'];

/** The highest value of a 7-bit data byte. */
export const MIDI_MAX = 127;

/** A note-on with velocity 0 is a note-off (running status); everything else passes through. */
export function normaliseNoteOff(message: MidiMessage): MidiMessage {
  if (message.type === 'noteon' && message.velocity === 0) {
    return { type: 'noteoff', channel: message.channel, note: message.note, velocity: 0 };
  }
  return message;
}
