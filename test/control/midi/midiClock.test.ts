import { describe, expect, it } from 'vitest';
import type { ExternalClock } from '../../../engine/clock/externalClock.js';
import { MidiClock } from '../../../control/midi/midiClock.js';
import { presetForProgram } from '../../../control/mapping/programChange.js';

/** Feeds `beats` beats of ticks at `bpm` from `t0` ms, each tick moved by `jitter(i)` ms; returns the end time. */
function play(clock: MidiClock, bpm: number, beats: number, t0 = 0, jitter: (i: number) => number = () => 0): number {
  const ms = 60_000 / bpm / 24;
  for (let i = 0; i < beats * 24; i++) clock.tick(t0 + i * ms + jitter(i));
  return t0 + beats * 24 * ms;
}

function record(clock: MidiClock) {
  const tempi: number[] = [];
  const beats: number[] = [];
  clock.onTempo((b) => tempi.push(b));
  clock.onBeat((b) => beats.push(b));
  return { tempi, beats };
}

/** A small deterministic generator (no Math.random in tests). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('MidiClock', () => {
  it('is an ExternalClock the show can follow', () => {
    const clock: ExternalClock = new MidiClock({ name: 'Digitakt' });
    expect(clock.name).toBe('Digitakt');
  });

  it('reports the tempo four times a beat, from the first whole beat of ticks on', () => {
    const clock = new MidiClock();
    const { tempi } = record(clock);
    play(clock, 120, 1);
    expect(tempi).toEqual([]);
    clock.tick(500);
    expect(tempi).toHaveLength(1);
    expect(tempi[0]).toBeCloseTo(120, 9);
    play(clock, 120, 3, 500 + 500 / 24);
    expect(tempi).toHaveLength(1 + 3 * 4);
    for (const t of tempi) expect(t).toBeCloseTo(120, 9);
  });

  it('averages jitter away: ±3 ms per tick at 128 BPM (the tick is 19.5 ms) stays within 0.5 BPM after a bar', () => {
    const clock = new MidiClock();
    const { tempi } = record(clock);
    const rand = lcg(7);
    play(clock, 128, 16, 0, () => (rand() - 0.5) * 6);
    for (const t of tempi.slice(3)) expect(Math.abs(t - 128)).toBeLessThan(0.5);
  });

  it('follows a tempo change within five beats (a 4/4 bar of ticks, reported on the next beat)', () => {
    const clock = new MidiClock();
    const { tempi } = record(clock);
    const end = play(clock, 120, 8);
    play(clock, 140, 5, end);
    expect(tempi.at(-1)).toBeCloseTo(140, 6);
    // in between, the average moves monotonically from one to the other: no overshoot
    const during = tempi.slice(7);
    for (let i = 1; i < during.length; i++) expect(during[i]!).toBeGreaterThanOrEqual(during[i - 1]! - 1e-9);
  });

  it('counts beats from Start: the first tick is beat 0; Stop pauses, Continue resumes', () => {
    const clock = new MidiClock();
    const { beats } = record(clock);
    play(clock, 120, 2); // running? not yet: no beats before Start
    expect(beats).toEqual([]);
    clock.handle({ type: 'start' }, 1000);
    let t = play(clock, 120, 3, 1000);
    expect(beats).toEqual([0, 1, 2]);
    clock.handle({ type: 'stop' }, t);
    t = play(clock, 120, 2, t);
    expect(beats).toEqual([0, 1, 2]);
    clock.handle({ type: 'continue' }, t);
    play(clock, 120, 2, t);
    expect(beats).toEqual([0, 1, 2, 3, 4]);
  });

  it('ticks while stopped still measure the tempo (masters keep sending them)', () => {
    const clock = new MidiClock();
    const { tempi, beats } = record(clock);
    play(clock, 90, 2);
    expect(clock.isRunning).toBe(false);
    expect(tempi.at(-1)).toBeCloseTo(90, 9);
    expect(beats).toEqual([]);
  });

  it('a song position moves the beat count (sixteenths) and restarts the average', () => {
    const clock = new MidiClock();
    const { beats, tempi } = record(clock);
    clock.handle({ type: 'start' }, 0);
    let t = play(clock, 120, 2);
    clock.handle({ type: 'position', value: 32 }, t); // bar 3 in 4/4
    const before = tempi.length;
    t = play(clock, 120, 2, t);
    expect(beats).toEqual([0, 1, 8, 9]);
    // one beat to fill the average again, then every sixteenth: ticks 25, 31, 37 and 43 of 48
    expect(tempi.length - before).toBe(4);
  });

  it('a gap longer than a second starts the average over (the master was unplugged)', () => {
    const clock = new MidiClock();
    const { tempi } = record(clock);
    const t = play(clock, 120, 2);
    const n = tempi.length;
    play(clock, 60, 1, t + 5000);
    expect(tempi.length).toBe(n);
    play(clock, 60, 1, t + 6000);
    expect(tempi.at(-1)).toBeCloseTo(60, 9);
  });

  it('stops calling a listener once unsubscribed; ignores other messages', () => {
    const clock = new MidiClock();
    const seen: number[] = [];
    const stop = clock.onTempo((b) => seen.push(b));
    play(clock, 120, 2);
    stop();
    clock.handle({ type: 'cc', channel: 0, controller: 1, value: 2 }, 0);
    play(clock, 120, 2, 1000);
    expect(seen).toHaveLength(4);
  });
});

describe('program change', () => {
  const presets = ['waltz', 'drone', 'breaks'];
  it('selects the preset by index', () => {
    expect(presetForProgram({ type: 'program', channel: 0, number: 1 }, presets)).toEqual({ type: 'preset', name: 'drone' });
  });
  it('nothing past the list, on another channel, or for other messages', () => {
    expect(presetForProgram({ type: 'program', channel: 0, number: 3 }, presets)).toBeNull();
    expect(presetForProgram({ type: 'program', channel: 4, number: 0 }, presets, 0)).toBeNull();
    expect(presetForProgram({ type: 'cc', channel: 0, controller: 0, value: 0 }, presets)).toBeNull();
  });
});
