import { describe, expect, it } from 'vitest';
import { Transport } from '../../../engine/clock/transport.js';

const SR = 44100;

describe('Transport: mapping', () => {
  it('uses the defaults and freezes its options', () => {
    const t = new Transport({ sampleRate: SR });
    expect([t.bpm, t.beatsPerBar, t.sampleRate]).toEqual([120, 4, SR]);
    expect(Object.isFrozen(t.options)).toBe(true);
    expect(Transport.defaults()).toEqual({ bpm: 120, beatsPerBar: 4 });
  });

  it('round-trips frames and beats', () => {
    const t = new Transport({ sampleRate: SR, bpm: 127 });
    expect(t.framesPerBeat()).toBeCloseTo((60 * SR) / 127, 9);
    for (const f of [0, 1, 12345, 987654.5, -5000, 3e8]) expect(t.frameOfBeat(t.beatAt(f))).toBeCloseTo(f, 4);
    for (const b of [0, 0.25, 17.5, 40000]) expect(t.beatAt(t.frameOfBeat(b))).toBeCloseTo(b, 9);
  });

  it('reports bar, beat and phase (1-based), below bar 1 before the origin', () => {
    const t = new Transport({ sampleRate: SR });
    expect(t.position(0)).toEqual({ bar: 1, beat: 1, phase: 0, beats: 0 });
    expect(t.position(22050 * 5.25)).toEqual({ bar: 2, beat: 2, phase: 0.25, beats: 5.25 });
    expect(t.position(-22050)).toMatchObject({ bar: 0, beat: 4, phase: 0 });
  });

  it('puts bar boundaries every 88200 frames at 120 BPM and 44.1 kHz', () => {
    const t = new Transport({ sampleRate: SR });
    expect([1, 88199, 88200, 88201].map((f) => t.nextBoundary(f, 'bar'))).toEqual([88200, 88200, 88200, 176400]);
  });
});

describe('Transport: nextBoundary', () => {
  const t = new Transport({ sampleRate: SR }); // beat = 22050 frames, bar = 88200
  it.each([
    ['beat', 1, 22050], ['beat', 22050, 22050], ['beat', 22051, 44100],
    ['bar', 0, 0], ['bar', 88201, 176400],
    ['2bars', 1, 176400], ['2bars', 176400, 176400], ['2bars', 176401, 352800],
    ['4bars', 1, 352800], ['4bars', 352800, 352800], ['4bars', 352801, 705600],
  ] as const)('%s from %i is %i', (q, from, expected) => {
    expect(t.nextBoundary(from, q)).toBe(expected);
  });

  it('rounds boundaries to the nearest frame consistently', () => {
    const odd = new Transport({ sampleRate: 48000, bpm: 127 }); // beat = 22677.165… frames
    const exact = (beat: number) => (beat * 60 * 48000) / 127;
    for (const beat of [1, 2, 3, 7, 101]) {
      const b = Math.round(exact(beat));
      expect(odd.nextBoundary(b, 'beat')).toBe(b);
      expect(odd.nextBoundary(b - 1, 'beat')).toBe(b);
      expect(odd.nextBoundary(b + 1, 'beat')).toBe(Math.round(exact(beat + 1)));
      expect(odd.position(b)).toMatchObject({ phase: 0, beat: ((beat % 4) + 1) });
    }
  });

  it('returns an integer frame for a fractional query', () => {
    expect(t.nextBoundary(22049.6, 'beat')).toBe(22050);
    expect(t.nextBoundary(22050.2, 'beat')).toBe(44100);
  });

  it('does not drift: 10,000 bars at 127 BPM land exactly on the frame', () => {
    const d = new Transport({ sampleRate: SR, bpm: 127 });
    let frame = 1;
    const wrong: number[] = [];
    for (let bar = 1; bar <= 10000; bar++) {
      frame = d.nextBoundary(frame, 'bar');
      if (frame !== Math.round((bar * 4 * 60 * SR) / 127)) wrong.push(bar);
      frame += 1;
    }
    expect(wrong).toEqual([]);
    expect(frame - 1).toBe(833385827); // 10,000 bars = 105840000000 / 127 frames, rounded
    expect(d.position(frame - 1)).toMatchObject({ bar: 10001, beat: 1, phase: 0 });
  });
});

describe('Transport: changes', () => {
  it('keeps the position continuous across a tempo change; later boundaries follow the new tempo', () => {
    const t = new Transport({ sampleRate: SR });
    const at = 88200 + 11025; // bar 2 beat 1.5
    t.setTempo(90, at);
    expect(t.beatAt(at)).toBeCloseTo(4.5, 12);
    expect(t.beatAt(at - 1)).toBeCloseTo(4.5 - 120 / 60 / SR, 12); // before the change: old tempo
    expect(t.bpmAt(at - 1)).toBe(120);
    const beat90 = (60 * SR) / 90; // 29400 frames
    expect(t.nextBoundary(at, 'beat')).toBe(at + beat90 / 2);
    expect(t.nextBoundary(at, 'bar')).toBe(at + 3.5 * beat90);
    expect(t.bpm).toBe(90);
  });

  it('leaves frames before a change scheduled ahead on the old grid', () => {
    const t = new Transport({ sampleRate: SR });
    t.setTempo(60, 176400);
    expect(t.nextBoundary(1, 'bar')).toBe(88200);
    expect(t.nextBoundary(88201, 'bar')).toBe(176400);
    expect(t.nextBoundary(176401, 'bar')).toBe(176400 + 4 * SR);
  });

  it('nudge moves the grid by the given beats from atFrame on', () => {
    const t = new Transport({ sampleRate: SR });
    const before = new Transport({ sampleRate: SR });
    t.nudge(0.25, 30000);
    for (const f of [30000, 40000, 1e6]) expect(t.beatAt(f)).toBeCloseTo(before.beatAt(f) + 0.25, 12);
    expect(t.beatAt(29999)).toBe(before.beatAt(29999));
    expect(t.nextBoundary(30000, 'beat')).toBe(Math.round(44100 - 0.25 * 22050)); // 38587.5: sooner
    t.nudge(-0.5, 50000);
    expect(t.beatAt(60000)).toBeCloseTo(before.beatAt(60000) - 0.25, 12);
    expect(() => t.nudge(1.5, 0)).toThrow(RangeError);
  });

  it('a forward nudge across a boundary puts that boundary at the jump', () => {
    const t = new Transport({ sampleRate: SR });
    t.nudge(0.5, 80000); // beat 3.628 -> 4.128: the bar 2 downbeat is skipped
    expect(t.nextBoundary(70000, 'bar')).toBe(80000);
    expect(t.position(80000)).toMatchObject({ bar: 2, beat: 1 });
    expect(t.nextBoundary(80001, 'beat')).toBe(Math.round(80000 + (5 - (80000 / 22050 + 0.5)) * 22050));
  });

  it('a backward nudge repeats beats: the crossed boundary comes again', () => {
    const t = new Transport({ sampleRate: SR });
    t.nudge(-0.5, 92610); // beat 4.2 -> 3.7
    expect(t.nextBoundary(92610, 'bar')).toBe(92610 + 0.3 * 22050);
    expect(t.frameOfBeat(4)).toBeCloseTo(92610 + 0.3 * 22050, 6); // its last occurrence
    expect(t.frameOfBeat(3)).toBeCloseTo(66150, 6);
  });

  it('frameOfBeat of a beat skipped by a forward nudge is the jump frame', () => {
    const t = new Transport({ sampleRate: SR });
    t.nudge(0.5, 80000);
    expect(t.frameOfBeat(4)).toBe(80000);
    expect(t.frameOfBeat(4.5)).toBeCloseTo(80000 + (4.5 - 80000 / 22050 - 0.5) * 22050, 6);
  });

  it('a nudge also moves tempo changes scheduled after it', () => {
    const t = new Transport({ sampleRate: SR });
    t.setTempo(60, 88200);
    t.nudge(0.5, 44100);
    expect(t.beatAt(88200)).toBeCloseTo(4.5, 12);
    expect(t.beatAt(88200 + SR)).toBeCloseTo(5.5, 12);
  });

  it('resync makes the next beat bar 1 beat 1 without moving the beat grid', () => {
    const t = new Transport({ sampleRate: SR });
    t.resync(22050 * 6.5); // beat 6.5 -> beat 7 becomes the downbeat
    expect(t.position(22050 * 7)).toMatchObject({ bar: 1, beat: 1, phase: 0 });
    expect(t.position(22050 * 6.5)).toMatchObject({ bar: 2, beat: 3 }); // before: unchanged
    expect(t.nextBoundary(22050 * 6.5 + 1, 'bar')).toBe(22050 * 7);
    expect(t.nextBoundary(22050 * 7 + 1, '4bars')).toBe(22050 * 23);
    expect(t.nextBoundary(22050 * 7 + 1, 'beat')).toBe(22050 * 8);
  });

  it('setBeatsPerBar lets the bar in progress finish, then counts new bars', () => {
    const t = new Transport({ sampleRate: SR });
    t.setBeatsPerBar(3, 22050 * 5.5); // bar 2 (beats 4..8) keeps its 4 beats
    expect(t.nextBoundary(22050 * 5.5, 'bar')).toBe(22050 * 8);
    expect(t.position(22050 * 8)).toMatchObject({ bar: 3, beat: 1 });
    expect(t.position(22050 * 10)).toMatchObject({ bar: 3, beat: 3 });
    expect(t.position(22050 * 11)).toMatchObject({ bar: 4, beat: 1 });
    expect(t.nextBoundary(22050 * 8 + 1, '2bars')).toBe(22050 * 14); // bar 5
    expect(t.beatsPerBar).toBe(3);
  });

  it('setBeatsPerBar on a downbeat applies to that bar', () => {
    const t = new Transport({ sampleRate: SR });
    t.setBeatsPerBar(7, 88200);
    expect(t.nextBoundary(88201, 'bar')).toBe(88200 + 7 * 22050);
    expect(t.position(88200 + 7 * 22050)).toMatchObject({ bar: 3, beat: 1 });
  });

  it('runs the TSDoc example', () => {
    const t = new Transport({ sampleRate: SR, bpm: 120 });
    expect(t.nextBoundary(1, 'bar')).toBe(88200);
    t.setTempo(90, 88200);
    expect(t.position(88200)).toEqual({ bar: 2, beat: 1, phase: 0, beats: 4 });
  });

  it('keeps working after more changes than it keeps history for', () => {
    const t = new Transport({ sampleRate: SR });
    for (let i = 1; i <= 100; i++) t.setTempo(i % 2 ? 100 : 140, i * SR);
    const beat = t.beatAt(100 * SR);
    expect(t.beatAt(100 * SR + 30 * SR)).toBeCloseTo(beat + 70, 9); // 140 BPM for 30 s
    expect(t.nextBoundary(100 * SR + 1, 'beat')).toBe(Math.round(t.frameOfBeat(Math.floor(beat) + 1)));
  });

  it('records the clock source', () => {
    const t = new Transport({ sampleRate: SR });
    expect(t.clockSource).toBe('internal');
    t.setClockSource('external', 'IAC Bus 1');
    expect([t.clockSource, t.clockSourceName]).toEqual(['external', 'IAC Bus 1']);
    t.setClockSource('tap');
    expect([t.clockSource, t.clockSourceName]).toEqual(['tap', undefined]);
  });

  it('rejects bad values with RangeError', () => {
    const t = new Transport({ sampleRate: SR });
    expect(() => new Transport({ sampleRate: 0 })).toThrow(RangeError);
    expect(() => new Transport({ sampleRate: SR, bpm: 301 })).toThrow(RangeError);
    expect(() => t.setTempo(19, 0)).toThrow(RangeError);
    expect(() => t.setBeatsPerBar(2.5, 0)).toThrow(RangeError);
    expect(() => t.setBeatsPerBar(17, 0)).toThrow(RangeError);
    expect(() => t.beatAt(NaN)).toThrow(RangeError);
    expect(() => t.nextBoundary(Infinity, 'bar')).toThrow(RangeError);
    expect(() => t.nextBoundary(0, 'now' as never)).toThrow(RangeError);
    expect(t.bpm).toBe(120);
  });
});
