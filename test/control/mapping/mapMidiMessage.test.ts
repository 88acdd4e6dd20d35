import { describe, expect, it } from 'vitest';
import { parameter, parseCommand } from '../../../control/protocol/index.js';
import type { MappedValue } from '../../../control/mapping/controlPosition.js';
import { type ControlMemory, FRESH_MEMORY, mapMidiMessage } from '../../../control/mapping/mapMidiMessage.js';
import type { MidiMessage } from '../../../control/mapping/midiMessage.js';
import { type MidiMapping, defaultMapping } from '../../../control/mapping/midiMapping.js';

const cc = (value: number, controller = 7, channel = 0): MidiMessage => ({ type: 'cc', channel, controller, value });
const on = (note = 36, velocity = 100): MidiMessage => ({ type: 'noteon', channel: 0, note, velocity });
const off = (note = 36): MidiMessage => ({ type: 'noteoff', channel: 0, note, velocity: 0 });

function mapping(name: Parameters<typeof parameter>[0], over: Partial<MidiMapping> = {}): MidiMapping {
  const kind = over.kind ?? 'cc';
  return { ...defaultMapping({ device: 'nanoKONTROL2', channel: 0, kind, number: kind === 'cc' ? 7 : 36 }, parameter(name)), ...over };
}

/**
 * Plays messages through one mapping the way a surface does: the current value follows what the
 * control sent (its own commands count as applied), and memory is passed back in.
 */
function play(m: MidiMapping, start: MappedValue | null, messages: readonly MidiMessage[]) {
  const p = parameter(m.parameter as Parameters<typeof parameter>[0]);
  let current = start;
  let memory: ControlMemory = FRESH_MEMORY;
  const values: (MappedValue | null)[] = [];
  const commands: unknown[] = [];
  for (const message of messages) {
    const r = mapMidiMessage(m, p, message, current, memory);
    memory = r.memory;
    if (r.command !== undefined) {
      // every command is one the show accepts
      expect(parseCommand(r.command)).toEqual({ ok: true, command: r.command });
      commands.push(r.command);
      if (r.value !== undefined) current = r.value;
    }
    values.push(current);
  }
  return { values, commands, memory, current };
}

describe('absolute knobs', () => {
  it('jump: the value follows the knob at once, through the range and the curve', () => {
    const m = mapping('mix', { takeover: 'jump' });
    expect(play(m, 0.5, [cc(0), cc(127), cc(64)]).values).toEqual([0, 1, 64 / 127]);
    const g = mapping('gain', { takeover: 'jump', min: 0.2, max: 0.8, curve: 'exponential' });
    const { values } = play(g, 1, [cc(0), cc(127), cc(64)]);
    expect(values[0]).toBeCloseTo(0.2, 12);
    expect(values[1]).toBeCloseTo(0.8, 12);
    expect(values[2] as number).toBeLessThan(0.5); // exponential: the middle of the travel is low
  });

  it('min above max inverts the knob', () => {
    expect(play(mapping('mix', { takeover: 'jump', min: 1, max: 0 }), 0.5, [cc(0)]).values).toEqual([1]);
  });

  it('makes the right command for each parameter', () => {
    expect(play(mapping('tempo', { takeover: 'jump' }), 120, [cc(127)]).commands).toEqual([{ type: 'tempo', bpm: 300 }]);
    expect(play(mapping('guidance.picture', { takeover: 'jump' }), null, [cc(0)]).commands).toEqual([{ type: 'guidance', model: 'picture', value: 0 }]);
    expect(play(mapping('filter', { takeover: 'jump' }), 0, [cc(0)]).commands).toEqual([{ type: 'filter', value: -1 }]);
  });

  it('integers are whole and never leave the parameter range', () => {
    const m = mapping('meter', { takeover: 'jump' });
    const { values } = play(m, 4, [cc(0), cc(50), cc(127)]);
    expect(values).toEqual([1, Math.round(1 + (50 / 127) * 15), 16]);
  });

  it('sends nothing when the value would not change', () => {
    const m = mapping('meter', { takeover: 'jump' });
    // 127 / 15 CC steps per beat: neighbours round to the same meter
    expect(play(m, 4, [cc(127), cc(126)]).commands).toHaveLength(1);
    expect(play(mapping('mix', { takeover: 'jump' }), 0, [cc(0)]).commands).toHaveLength(0);
  });

  it('ignores other channels, controllers and notes', () => {
    const m = mapping('mix', { takeover: 'jump' });
    expect(play(m, 0.5, [cc(0, 8), cc(0, 7, 1), on(7)]).commands).toHaveLength(0);
  });

  it('pickup: waits until the knob crosses the value, then follows', () => {
    const m = mapping('mix', { takeover: 'pickup' });
    // value at 0.5 (64/127 ≈ 0.504); the knob starts low and moves up
    const r = play(m, 0.5, [cc(10), cc(30), cc(50), cc(70), cc(60), cc(20)]);
    expect(r.values).toEqual([0.5, 0.5, 0.5, 70 / 127, 60 / 127, 20 / 127]);
  });

  it('pickup from above works the same way down', () => {
    const r = play(mapping('mix', { takeover: 'pickup' }), 0.25, [cc(120), cc(100), cc(31), cc(0)]);
    expect(r.values).toEqual([0.25, 0.25, 31 / 127, 0]);
  });

  it('pickup: a knob that lands on the value (within half a step) takes it at once', () => {
    expect(play(mapping('mix', { takeover: 'pickup' }), 64 / 127, [cc(64), cc(65)]).values).toEqual([64 / 127, 65 / 127]);
  });

  it('pickup: a change from elsewhere makes the knob wait again', () => {
    const m = mapping('mix', { takeover: 'pickup' });
    const p = parameter('mix');
    const first = play(m, 0, [cc(0), cc(10)]);
    expect(first.current).toBe(10 / 127);
    // another surface set 0.9: the knob at 10 must not jump it back
    const r = mapMidiMessage(m, p, cc(12), 0.9, first.memory);
    expect(r.command).toBeUndefined();
  });

  it('scale: moves the value toward the knob without a jump and meets it at the end of travel', () => {
    const m = mapping('mix', { takeover: 'scale' });
    const knob = [10, 20, 40, 60, 80, 100, 120, 127];
    const r = play(m, 0.8, knob.map((v) => cc(v)));
    // the first message only tells where the knob is
    expect(r.values[0]).toBe(0.8);
    for (let i = 1; i < knob.length; i++) {
      const v = r.values[i] as number;
      expect(v).toBeGreaterThan(r.values[i - 1] as number);
      // the value stays ahead of the knob and never jumps more than the knob moved
      expect(v).toBeGreaterThanOrEqual(knob[i]! / 127 - 1e-9);
      expect(v - (r.values[i - 1] as number)).toBeLessThanOrEqual((knob[i]! - knob[i - 1]!) / 127 + 1e-9);
    }
    expect(r.values.at(-1)).toBe(1);
    // met at the top: from now on the knob drives it directly
    expect(play(m, 1, [cc(127), cc(100)]).values.at(-1)).toBe(100 / 127);
  });

  it('scale: turning down from above the value lowers it proportionally', () => {
    const m = mapping('mix', { takeover: 'scale' });
    const r = play(m, 0.2, [cc(100), cc(50)]);
    // half the knob's remaining travel down: half the value's
    expect(r.values[1]).toBeCloseTo(0.2 * (50 / 100), 12);
    expect(play(m, 0.2, [cc(100), cc(50), cc(0)]).values.at(-1)).toBe(0);
  });

  it('a parameter without a value yet (guidance) takes the knob at once whatever the takeover', () => {
    expect(play(mapping('guidance.audio', { takeover: 'pickup' }), null, [cc(127)]).values).toEqual([50]);
  });

  it('enums in equal bands of the travel', () => {
    const m = mapping('quantize', { takeover: 'jump' });
    // 6 values: now beat bar 2bars 4bars segment
    const r = play(m, 'bar', [cc(0), cc(21), cc(22), cc(50), cc(127)]);
    expect(r.values).toEqual(['now', 'now', 'beat', 'bar', 'segment']);
    expect(r.commands).toEqual([
      { type: 'quantize', value: 'now' },
      { type: 'quantize', value: 'beat' },
      { type: 'quantize', value: 'bar' },
      { type: 'quantize', value: 'segment' },
    ]);
  });

  it('enums take over by pickup too (a brushed knob must not switch the source)', () => {
    const r = play(mapping('source', { takeover: 'pickup' }), 'imprint', [cc(0), cc(10)]);
    expect(r.commands).toHaveLength(0);
  });
});

describe('relative encoders', () => {
  it('numbers move from the current value by 1/127 of the travel per click', () => {
    const m = mapping('mix', { relative: 'twos-complement', takeover: 'pickup' });
    const r = play(m, 0.5, [cc(1), cc(1), cc(127)]);
    const u = 0.5 + 1 / 127;
    expect(r.values[0]).toBeCloseTo(u, 12);
    expect(r.values[1]).toBeCloseTo(u + 1 / 127, 12);
    expect(r.values[2]).toBeCloseTo(u, 12);
  });

  it('stops at the ends of the range', () => {
    const m = mapping('gain', { relative: 'binary-offset' });
    expect(play(m, 1, [cc(64 + 20)]).commands).toHaveLength(0);
    expect(play(m, 0.05, [cc(64 - 63)]).values).toEqual([0]);
  });

  it('integers step one at a time (walking seeds)', () => {
    const m = mapping('seed', { relative: 'signed-bit' });
    expect(play(m, 41, [cc(1), cc(3), cc(64 + 1)]).values).toEqual([42, 45, 44]);
    expect(play(m, 0, [cc(64 + 5)]).commands).toHaveLength(0);
  });

  it('enums step one value per message, clamped', () => {
    const m = mapping('quantize', { relative: 'twos-complement' });
    expect(play(m, 'bar', [cc(3), cc(1), cc(1), cc(1), cc(127)]).values).toEqual(['2bars', '4bars', 'segment', 'segment', '4bars']);
  });

  it('booleans: up is on, down is off', () => {
    expect(play(mapping('freeze', { relative: 'binary-offset' }), false, [cc(65), cc(63)]).values).toEqual([true, false]);
  });
});

describe('buttons', () => {
  it('freeze on a pad: toggle flips on each press, ignores releases', () => {
    const m = mapping('freeze', { kind: 'note', noteMode: 'toggle' });
    expect(play(m, false, [on(), off(), on(), off()]).values).toEqual([true, true, false, false]);
  });

  it('freeze on a pad: momentary holds while pressed; a note-on with velocity 0 is a release', () => {
    const m = mapping('freeze', { kind: 'note', noteMode: 'momentary' });
    expect(play(m, false, [on(), on(36, 0), on(), off()]).values).toEqual([true, false, true, false]);
  });

  it('freeze on a CC button: momentary follows 0/127, toggle flips on the rising edge', () => {
    expect(play(mapping('freeze', { noteMode: 'momentary' }), false, [cc(127), cc(0)]).values).toEqual([true, false]);
    expect(play(mapping('freeze', { noteMode: 'toggle' }), false, [cc(127), cc(127), cc(0), cc(127)]).values).toEqual([true, true, true, false]);
  });

  it('a pad on a number toggles between min and max, or holds max while pressed', () => {
    expect(play(mapping('filter', { kind: 'note', noteMode: 'toggle', min: 0, max: 0.8 }), 0, [on(), on(), on()]).values).toEqual([0.8, 0, 0.8]);
    expect(play(mapping('gain', { kind: 'note', noteMode: 'momentary', min: 0, max: 1 }), 1, [on(), off()]).values).toEqual([1, 0]);
  });

  it('a pad on an enum steps to the next value, round and round', () => {
    const m = mapping('source', { kind: 'note' });
    expect(play(m, 'imprint', [on(), off(), on()]).values).toEqual(['session', 'session', 'diffusion']);
  });

  it('triggers: tap on every note-on, never on release', () => {
    const r = play(mapping('tap', { kind: 'note' }), null, [on(), off(), on(), on(36, 0)]);
    expect(r.commands).toEqual([{ type: 'tap' }, { type: 'tap' }]);
  });

  it('triggers from CC: once per rise above 63, not for every high value', () => {
    const r = play(mapping('resync'), null, [cc(127), cc(100), cc(0), cc(64), cc(63), cc(90)]);
    expect(r.commands).toEqual([{ type: 'resync' }, { type: 'resync' }, { type: 'resync' }]);
  });
});
