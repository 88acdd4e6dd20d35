import { describe, expect, it } from 'vitest';
import { TempoSmoother } from '../../../engine/clock/tempoSmoother.js';
import { mulberry32 } from '../../helpers/prng.js';

/** Feed reports; return [report index, returned tempo] for every non-null result. */
function feed(s: TempoSmoother, reports: number[]): [number, number][] {
  return reports.flatMap((r, i) => {
    const v = s.observe(r);
    return v === null ? [] : [[i, v] as [number, number]];
  });
}

const jittery = (rand: () => number, bpm: number, n: number, jitter = 1.5) =>
  Array.from({ length: n }, () => bpm + (rand() * 2 - 1) * jitter);

describe('TempoSmoother', () => {
  it('returns a clean tempo once min(3, window) reports agree, then stays quiet', () => {
    const s = new TempoSmoother();
    expect(feed(s, [124, 124, 124, 124, 124.05, 124])).toEqual([[2, 124]]);
    expect(feed(new TempoSmoother({ window: 2 }), [130, 130])).toEqual([[1, 130]]);
  });

  it('holds a steady 124 BPM with ±1.5 BPM jitter: at most one change, all within 0.3', () => {
    for (const seed of [1, 2]) {
      const out = feed(new TempoSmoother(), jittery(mulberry32(seed), 124, 1000));
      expect(out.length).toBeGreaterThanOrEqual(1);
      expect(out.length).toBeLessThanOrEqual(2); // the first tempo and at most one change
      for (const [, bpm] of out) expect(Math.abs(bpm - 124)).toBeLessThanOrEqual(0.3);
    }
  });

  it('reports a real step 124 -> 126 within window reports', () => {
    for (const seed of [1, 2, 3]) {
      const rand = mulberry32(seed);
      const s = new TempoSmoother();
      feed(s, jittery(rand, 124, 300));
      expect(s.bpm).not.toBeNull();
      const out = feed(s, jittery(rand, 126, 8));
      expect(out.length).toBeGreaterThanOrEqual(1);
      expect(Math.abs(out[0]![1] - 126)).toBeLessThan(0.8);
    }
  });

  it('follows a clean tempo change with one new value', () => {
    const s = new TempoSmoother();
    feed(s, Array(10).fill(124));
    const out = feed(s, Array(8).fill(124.5));
    expect(out.map(([, v]) => v)).toEqual([124.5]);
    expect(out[0]![0]).toBeLessThan(8);
  });

  it('ignores NaN, infinite and non-positive reports, and a single wild report', () => {
    const s = new TempoSmoother();
    expect(feed(s, [NaN, 0, -120, Infinity, 120, 120, 120])).toEqual([[6, 120]]);
    expect(feed(s, [120, 120, 240, 120, 120, 120, 120, 120, 120, 120])).toEqual([]);
  });

  it('rounds to 0.01 BPM and clamps to minBpm..maxBpm', () => {
    expect(feed(new TempoSmoother(), [123.456, 123.456, 123.456])).toEqual([[2, 123.46]]);
    expect(feed(new TempoSmoother({ maxBpm: 200 }), [250, 250, 250])).toEqual([[2, 200]]);
  });

  it('reset() forgets the tempo', () => {
    const s = new TempoSmoother();
    feed(s, [124, 124, 124]);
    s.reset();
    expect(s.bpm).toBeNull();
    expect(feed(s, [124, 124, 124])).toEqual([[2, 124]]);
  });

  it('rejects bad options', () => {
    expect(() => new TempoSmoother({ window: 0 })).toThrow(RangeError);
    expect(() => new TempoSmoother({ historySize: 4 })).toThrow(RangeError);
    expect(() => new TempoSmoother({ deadbandBpm: -1 })).toThrow(RangeError);
    expect(() => new TempoSmoother({ minBpm: 10 })).toThrow(RangeError);
  });
});
