import { describe, expect, it } from 'vitest';
import { parameter } from '../../../control/protocol/index.js';
import { feedbackMessage } from '../../../control/mapping/feedbackMessage.js';
import { FeedbackScheduler } from '../../../control/mapping/feedbackScheduler.js';
import { FRESH_MEMORY, mapMidiMessage } from '../../../control/mapping/mapMidiMessage.js';
import type { MidiMessage } from '../../../control/mapping/midiMessage.js';
import { type MidiMapping, defaultMapping } from '../../../control/mapping/midiMapping.js';

type Name = Parameters<typeof parameter>[0];
function mapping(name: Name, over: Partial<MidiMapping> = {}): MidiMapping {
  const kind = over.kind ?? 'cc';
  return { ...defaultMapping({ device: 'X', channel: 2, kind, number: 20 }, parameter(name)), ...over };
}
const cc = (value: number): MidiMessage => ({ type: 'cc', channel: 2, controller: 20, value });

describe('feedbackMessage', () => {
  it('is the inverse of the mapping: every knob position comes back as itself', () => {
    const cases: [Name, Partial<MidiMapping>][] = [
      ['mix', {}], ['gain', { curve: 'exponential', min: 0.1, max: 0.9 }], ['filter', { curve: 'logarithmic' }],
      ['tempo', { min: 60, max: 180 }], ['quantize', {}], ['source', {}],
    ];
    for (const [name, over] of cases) {
      const m = mapping(name, { ...over, takeover: 'jump' });
      const p = parameter(name);
      for (let v = 0; v <= 127; v++) {
        const r = mapMidiMessage(m, p, cc(v), null, FRESH_MEMORY);
        const back = feedbackMessage(m, p, r.value!);
        // enums come back as the middle of their band, which maps to the same value
        const again = mapMidiMessage(m, p, back!, null, FRESH_MEMORY);
        expect(again.value).toEqual(r.value);
        if (p.type === 'number') expect(back).toEqual(cc(v));
      }
    }
  });

  it('lights a pad for true and the top half, darkens it otherwise; nothing for triggers or unset values', () => {
    const pad = mapping('freeze', { kind: 'note' });
    expect(feedbackMessage(pad, parameter('freeze'), true)).toEqual({ type: 'noteon', channel: 2, note: 20, velocity: 127 });
    expect(feedbackMessage(pad, parameter('freeze'), false)).toEqual({ type: 'noteon', channel: 2, note: 20, velocity: 0 });
    expect(feedbackMessage(mapping('gain', { kind: 'note' }), parameter('gain'), 0.2)).toMatchObject({ velocity: 0 });
    expect(feedbackMessage(mapping('tap', { kind: 'note' }), parameter('tap'), null)).toBeNull();
    expect(feedbackMessage(mapping('guidance.audio'), parameter('guidance.audio'), null)).toBeNull();
    expect(feedbackMessage(mapping('source', { kind: 'note' }), parameter('source'), 'images')).toBeNull();
  });
});

describe('FeedbackScheduler', () => {
  it('sends a change at once, and not again while it stays', () => {
    const s = new FeedbackScheduler();
    s.update(cc(10));
    expect(s.due(0)).toEqual([cc(10)]);
    s.update(cc(10));
    expect(s.due(100)).toEqual([]);
    expect(s.nextDueAt()).toBeNull();
  });

  it('does not echo a knob: what it sent is what it shows', () => {
    const s = new FeedbackScheduler();
    s.received(cc(64));
    s.update(cc(64));
    expect(s.due(0)).toEqual([]);
    // the value moved elsewhere: the LED ring must follow
    s.update(cc(30));
    expect(s.due(1)).toEqual([cc(30)]);
  });

  it('tells a pad the state even when the pad sent the same byte (toggle pads send 127 on every press)', () => {
    const s = new FeedbackScheduler();
    const lit: MidiMessage = { type: 'noteon', channel: 0, note: 36, velocity: 127 };
    s.received({ type: 'noteon', channel: 0, note: 36, velocity: 127 });
    s.update(lit);
    expect(s.due(0)).toEqual([lit]);
  });

  it('rate-limits each control and always delivers the latest value', () => {
    const s = new FeedbackScheduler({ minIntervalMs: 20 });
    const sent: [number, MidiMessage][] = [];
    // a fader moved by another surface 1000 times a second for 100 ms
    for (let t = 0; t < 100; t++) {
      s.update(cc(t % 128));
      for (const m of s.due(t)) sent.push([t, m]);
    }
    for (let t = 100; t <= 140; t++) for (const m of s.due(t)) sent.push([t, m]);
    expect(sent.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < sent.length; i++) expect(sent[i]![0] - sent[i - 1]![0]).toBeGreaterThanOrEqual(20);
    expect(sent.at(-1)![1]).toEqual(cc(99));
  });

  it('controls are limited independently', () => {
    const s = new FeedbackScheduler({ minIntervalMs: 20 });
    const other: MidiMessage = { type: 'cc', channel: 2, controller: 21, value: 5 };
    s.update(cc(1));
    expect(s.due(0)).toEqual([cc(1)]);
    s.update(cc(2));
    s.update(other);
    expect(s.due(5)).toEqual([other]);
    expect(s.nextDueAt()).toBe(20);
    expect(s.due(20)).toEqual([cc(2)]);
  });

  it('a controller that echoes everything it receives settles instead of looping', () => {
    // the show's value goes to the controller, which sends it straight back in as a knob move
    const m = mapping('meter', { takeover: 'jump' });
    const p = parameter('meter');
    const s = new FeedbackScheduler({ minIntervalMs: 0 });
    let current: number = 4;
    let memory = FRESH_MEMORY;
    s.update(feedbackMessage(m, p, 7)!);
    current = 7;
    let messages = 0;
    for (let t = 0; t < 50; t++) {
      for (const out of s.due(t)) {
        messages++;
        s.received(out);
        const r = mapMidiMessage(m, p, out, current, memory);
        memory = r.memory;
        if (r.value !== undefined) {
          current = r.value as number;
          s.update(feedbackMessage(m, p, current)!);
        }
      }
    }
    expect(messages).toBe(1);
    expect(current).toBe(7);
  });
});
