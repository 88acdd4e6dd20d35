import { describe, expect, it } from 'vitest';
import { TapTempo } from '../../../engine/clock/tapTempo.js';
import { mulberry32 } from '../../helpers/prng.js';

const BEAT_128 = 60 / 128;

describe('TapTempo', () => {
  it('has no tempo until the second tap', () => {
    const t = new TapTempo();
    expect(t.tap(10)).toEqual({ bpm: null, taps: 1 });
    expect(t.tap(10.5)).toEqual({ bpm: 120, taps: 2 });
  });

  it('gives 128 ± 1.5 BPM after 8 taps jittered by ±10 ms', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rand = mulberry32(seed);
      const t = new TapTempo();
      let result = t.tap(5);
      for (let i = 1; i < 8; i++) result = t.tap(5 + i * BEAT_128 + (rand() * 2 - 1) * 0.01);
      expect(result.taps).toBe(8);
      expect(Math.abs(result.bpm! - 128)).toBeLessThanOrEqual(1.5);
    }
  });

  it('stays within 1.5 BPM under the worst ±10 ms pattern (early first half, late second half)', () => {
    const t = new TapTempo();
    let bpm: number | null = null;
    for (let i = 0; i < 8; i++) bpm = t.tap(i * BEAT_128 + (i < 4 ? -0.01 : 0.01)).bpm;
    expect(bpm).toBeLessThan(128);
    expect(bpm).toBeGreaterThanOrEqual(126.5);
  });

  it('is hurt less by one sloppy last tap than the last interval is', () => {
    const t = new TapTempo();
    const results = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => t.tap(i * BEAT_128 + (i === 7 ? 0.04 : 0)));
    const fitted = results[7]!.bpm!;
    const lastInterval = 60 / (BEAT_128 + 0.04); // 117.9 BPM
    expect(Math.abs(fitted - 128)).toBeLessThan(1);
    expect(Math.abs(fitted - 128)).toBeLessThan(Math.abs(lastInterval - 128) / 10);
  });

  it('fits only the last maxTaps taps', () => {
    const t = new TapTempo({ maxTaps: 4 });
    for (let i = 0; i < 4; i++) t.tap(i * 0.5); // 120 BPM
    let r = t.tap(1.5 + 0.4);
    for (let i = 2; i <= 4; i++) r = t.tap(1.5 + 0.4 * i); // the last 4 taps are 150 BPM
    expect(r).toEqual({ bpm: 150, taps: 8 });
  });

  it('starts over after a gap longer than resetAfterSeconds', () => {
    const t = new TapTempo();
    t.tap(0);
    expect(t.tap(2)).toEqual({ bpm: 30, taps: 2 }); // a gap of exactly 2 s: same run
    expect(t.tap(4.01)).toEqual({ bpm: null, taps: 1 });
    expect(t.tap(4.51)).toEqual({ bpm: 120, taps: 2 });
  });

  it('starts over on an earlier or repeated tap time, and on reset()', () => {
    const t = new TapTempo();
    t.tap(3);
    t.tap(3.5);
    expect(t.tap(1)).toEqual({ bpm: null, taps: 1 });
    expect(t.tap(1)).toEqual({ bpm: null, taps: 1 });
    t.tap(1.5);
    t.reset();
    expect(t.tap(1.6).taps).toBe(1);
  });

  it('clamps to minBpm..maxBpm', () => {
    const t = new TapTempo({ minBpm: 60, maxBpm: 180 });
    t.tap(0);
    expect(t.tap(0.1).bpm).toBe(180);
    t.reset();
    t.tap(0);
    expect(t.tap(1.5).bpm).toBe(60);
  });

  it('rejects bad options and non-finite times', () => {
    expect(() => new TapTempo({ maxTaps: 1 })).toThrow(RangeError);
    expect(() => new TapTempo({ resetAfterSeconds: 0 })).toThrow(RangeError);
    expect(() => new TapTempo({ minBpm: 200, maxBpm: 100 })).toThrow(RangeError);
    expect(() => new TapTempo().tap(NaN)).toThrow(RangeError);
  });
});
