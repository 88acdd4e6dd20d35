import { describe, expect, it } from 'vitest';
import { MAX_PREDICT_MS, acceptClock, beatAt, playheadPosition, predictFrame, steadyFrame } from '../../../control/page/beatClock.js';
import type { TransportState } from '../../../control/protocol/state.js';

const transport = (over: Partial<TransportState> = {}): TransportState => ({
  bpm: 120, beatsPerBar: 4, bar: 3, beat: 2, phase: 0.25, clockSource: 'internal', quantize: 'bar', ...over,
});

describe('acceptClock', () => {
  it('takes a newer clock and keeps the held one for an older frame (a burst after a stall)', () => {
    const a = acceptClock(null, 48_000, 48_000, 1000);
    expect(a).toEqual({ frame: 48_000, sampleRate: 48_000, receivedMs: 1000, moving: false });
    expect(acceptClock(a, 47_000, 48_000, 1100)).toBe(a);
    expect(acceptClock(a, 49_000, 48_000, 1100)).toEqual({ frame: 49_000, sampleRate: 48_000, receivedMs: 1100, moving: true });
  });
  it('a clock that stands still (nothing playing yet) stops the prediction', () => {
    const moving = acceptClock(acceptClock(null, 1000, 48_000, 0), 2000, 48_000, 50);
    expect(predictFrame(moving, 100)).toBe(2000 + 2400);
    const still = acceptClock(moving, 2000, 48_000, 100);
    expect(still.moving).toBe(false);
    expect(predictFrame(still, 900)).toBe(2000);
  });
  it('takes any frame when the sample rate changed (a new show on the same port)', () => {
    const a = acceptClock(null, 1_000_000, 48_000, 0);
    expect(acceptClock(a, 10, 44_100, 5).frame).toBe(10);
  });
});

describe('predictFrame', () => {
  it('runs on at the sample rate from the last clock', () => {
    const a = { frame: 1000, sampleRate: 44_100, receivedMs: 500, moving: true };
    expect(predictFrame(a, 500)).toBe(1000);
    expect(predictFrame(a, 600)).toBeCloseTo(1000 + 4410, 6);
  });
  it('stops predicting after MAX_PREDICT_MS without news and never goes back before the clock', () => {
    const a = { frame: 0, sampleRate: 1000, receivedMs: 0, moving: true };
    expect(predictFrame(a, MAX_PREDICT_MS + 10_000)).toBe(MAX_PREDICT_MS);
    expect(predictFrame(a, -50)).toBe(0);
  });
});

describe('steadyFrame', () => {
  it('holds a small step back until the music catches up, and shows a big one at once', () => {
    expect(steadyFrame(1000, null, 1000)).toBe(1000);
    expect(steadyFrame(1100, 1000, 1000)).toBe(1100);
    expect(steadyFrame(900, 1000, 1000)).toBe(1000);
    expect(steadyFrame(500, 1000, 1000)).toBe(500);
  });
});

describe('beatAt', () => {
  it('is the state position at the state frame', () => {
    expect(beatAt(transport(), 1000, 1000, 48_000)).toEqual({ bar: 3, beat: 2, phase: 0.25 });
  });
  it('moves half a beat in a quarter second at 120 BPM', () => {
    const p = beatAt(transport(), 0, 12_000, 48_000);
    expect(p.bar).toBe(3);
    expect(p.beat).toBe(2);
    expect(p.phase).toBeCloseTo(0.75, 9);
  });
  it('carries into the next bar after the last beat', () => {
    // beat 2 + 0.25 → 3 beats later = beat 1.25 of bar 4 (1.5 s at 120 BPM)
    const p = beatAt(transport(), 0, 72_000, 48_000);
    expect(p).toEqual({ bar: 4, beat: 1, phase: expect.closeTo(0.25, 9) });
  });
  it('follows the meter: 3 beats per bar', () => {
    const p = beatAt(transport({ beatsPerBar: 3, bar: 1, beat: 3, phase: 0.5 }), 0, 24_000, 48_000);
    expect(p).toEqual({ bar: 2, beat: 1, phase: expect.closeTo(0.5, 9) });
  });
});

describe('playheadPosition', () => {
  it('runs from 0 to 1 across the segment and wraps for repeats', () => {
    expect(playheadPosition(1000, 4000, 1000)).toBe(0);
    expect(playheadPosition(1000, 4000, 3000)).toBe(0.5);
    expect(playheadPosition(1000, 4000, 6000)).toBe(0.25);
  });
  it('waits at 0 before the start and with an unknown length', () => {
    expect(playheadPosition(1000, 4000, 500)).toBe(0);
    expect(playheadPosition(1000, 0, 5000)).toBe(0);
  });
});
