import { describe, expect, it } from 'vitest';
import { LEARN_IDLE, armLearn, cancelLearn, learnFrom } from '../../../control/mapping/midiLearn.js';
import type { MidiMessage } from '../../../control/mapping/midiMessage.js';
import { deviceMatches, stripPortNumbers } from '../../../control/mapping/midiMapping.js';

const knob: MidiMessage = { type: 'cc', channel: 0, controller: 16, value: 40 };
const pad: MidiMessage = { type: 'noteon', channel: 9, note: 36, velocity: 90 };
const PORT = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0';

function armed(name: string) {
  const r = armLearn(name);
  if (!r.ok) throw new Error(r.reason);
  return r.state;
}

describe('MIDI learn', () => {
  it('idle: messages map nothing', () => {
    expect(learnFrom(LEARN_IDLE, [], PORT, knob)).toEqual({ state: LEARN_IDLE, mappings: [] });
  });

  it('the next knob after arming becomes a mapping with sensible defaults, and learn goes idle', () => {
    const r = learnFrom(armed('filter'), [], PORT, knob);
    expect(r.state).toEqual(LEARN_IDLE);
    expect(r.learned).toEqual({
      device: 'nanoKONTROL2:nanoKONTROL2 MIDI 1', channel: 0, kind: 'cc', number: 16, parameter: 'filter',
      min: -1, max: 1, curve: 'linear', takeover: 'pickup', relative: 'none', noteMode: 'toggle',
    });
    expect(r.mappings).toEqual([r.learned]);
    expect(r.replaced).toBeUndefined();
  });

  it('a pad becomes a note mapping; freeze on a pad toggles, on a CC button it is momentary', () => {
    const r = learnFrom(armed('freeze'), [], PORT, pad);
    expect(r.learned).toMatchObject({ kind: 'note', channel: 9, number: 36, noteMode: 'toggle' });
    expect(learnFrom(armed('freeze'), [], PORT, knob).learned).toMatchObject({ kind: 'cc', noteMode: 'momentary' });
  });

  it('note-offs, clock and program changes do not count: learn stays armed', () => {
    const state = armed('tap');
    for (const m of [
      { type: 'noteoff', channel: 0, note: 1, velocity: 0 },
      { type: 'noteon', channel: 0, note: 1, velocity: 0 },
      { type: 'clock' },
      { type: 'program', channel: 0, number: 3 },
    ] as MidiMessage[]) {
      expect(learnFrom(state, [], PORT, m).state).toEqual(state);
    }
  });

  it('replaces a mapping on the same control, keeps the others', () => {
    const first = learnFrom(armed('mix'), [], PORT, knob).mappings;
    const withPad = learnFrom(armed('tap'), first, PORT, pad).mappings;
    // the port came back with other ALSA numbers: still the same control
    const r = learnFrom(armed('gain'), withPad, 'nanoKONTROL2:nanoKONTROL2 MIDI 1 28:0', knob);
    expect(r.replaced?.parameter).toBe('mix');
    expect(r.mappings.map((m) => m.parameter)).toEqual(['tap', 'gain']);
  });

  it('text parameters and unknown names cannot be armed (one line)', () => {
    expect(armLearn('prompt.audio')).toEqual({ ok: false, reason: '"prompt.audio" is text and cannot be driven by a MIDI control' });
    expect(armLearn('volume')).toEqual({ ok: false, reason: 'unknown parameter "volume"' });
  });

  it('cancel maps nothing', () => {
    armed('mix');
    expect(learnFrom(cancelLearn(), [], PORT, knob).mappings).toEqual([]);
  });
});

describe('port names', () => {
  it('ignores ALSA client:port numbers and matches by prefix', () => {
    expect(stripPortNumbers('Launch Control XL:Launch Control XL MIDI 1 20:0')).toBe('Launch Control XL:Launch Control XL MIDI 1');
    expect(stripPortNumbers('IAC Driver Bus 1')).toBe('IAC Driver Bus 1');
    expect(deviceMatches('Launch Control', 'Launch Control XL:Launch Control XL MIDI 1 24:0')).toBe(true);
    expect(deviceMatches('Launch Control XL:Launch Control XL MIDI 1 20:0', 'Launch Control XL:Launch Control XL MIDI 1 24:0')).toBe(true);
    expect(deviceMatches('nanoKONTROL', 'Launch Control XL 24:0')).toBe(false);
  });
});
