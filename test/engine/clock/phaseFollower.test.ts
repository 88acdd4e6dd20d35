import { describe, expect, it } from 'vitest';
import { PhaseFollower, wrapPhase } from '../../../engine/clock/phaseFollower.js';
import { Transport } from '../../../engine/clock/transport.js';
import { mulberry32 } from '../../helpers/prng.js';

const SR = 44100;
const TICK = 4410; // reports every 100 ms

/**
 * Drive a follower with reports of an external clock `offset` beats ahead of the transport's
 * initial grid, each arriving 0..30 ms late; apply every correction. Returns the corrections.
 */
function follow(offset: number, seed: number, reports = 40, follower = new PhaseFollower({ latencySeconds: 0.015 })) {
  const rand = mulberry32(seed);
  const transport = new Transport({ sampleRate: SR, bpm: 120 });
  const reference = new Transport({ sampleRate: SR, bpm: 120 });
  const corrections: number[] = [];
  for (let k = 1; k <= reports; k++) {
    const sent = k * TICK;
    const arrival = Math.round(sent + rand() * 0.03 * SR);
    const c = follower.observe(reference.beatAt(sent) + offset, arrival, transport);
    if (c !== null) {
      corrections.push(c);
      transport.nudge(c, arrival);
    }
  }
  return { corrections, transport, reference };
}

describe('PhaseFollower', () => {
  it('wraps phase errors to (-0.5, 0.5]', () => {
    expect(wrapPhase(0.7)).toBeCloseTo(-0.3, 12);
    expect(wrapPhase(-0.7)).toBeCloseTo(0.3, 12);
    expect(wrapPhase(0.5)).toBe(0.5);
    expect(wrapPhase(-0.5)).toBe(0.5);
    expect(wrapPhase(3.25)).toBe(0.25);
  });

  it('converges gradually on a clock 0.2 beats ahead', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { corrections, transport, reference } = follow(0.2, seed);
      const sum = corrections.reduce((a, c) => a + c, 0);
      expect(Math.abs(sum - 0.2)).toBeLessThanOrEqual(0.03);
      expect(Math.max(...corrections.map(Math.abs))).toBeLessThanOrEqual(0.05);
      expect(corrections.length).toBeGreaterThanOrEqual(4);
      expect(transport.beatAt(41 * TICK) - reference.beatAt(41 * TICK)).toBeCloseTo(sum, 9);
    }
  });

  it('follows a clock behind, across the wrap (0.8 beats ahead is 0.2 behind)', () => {
    const sum = follow(0.8, 3).corrections.reduce((a, c) => a + c, 0);
    expect(sum).toBeGreaterThan(-0.23);
    expect(sum).toBeLessThan(-0.17);
  });

  it('makes no correction for jitter alone', () => {
    for (let seed = 1; seed <= 10; seed++) expect(follow(0, seed, 200).corrections).toEqual([]);
  });

  it('without latency compensation, follows the mean lateness', () => {
    const sum = follow(0, 1, 100, new PhaseFollower()).corrections.reduce((a, c) => a + c, 0);
    expect(sum).toBeLessThan(-0.01); // reports ~15 ms (0.03 beats) late read as a clock behind
  });

  it('needs a full window and ignores non-finite reports', () => {
    const f = new PhaseFollower();
    const t = new Transport({ sampleRate: SR });
    for (let k = 1; k <= 4; k++) expect(f.observe(t.beatAt(k * TICK) + 0.3, k * TICK, t)).toBeNull();
    expect(f.observe(NaN, 5 * TICK, t)).toBeNull();
    expect(f.observe(t.beatAt(5 * TICK) + 0.3, 5 * TICK, t)).toBeCloseTo(0.05, 12);
    f.reset();
    expect(f.observe(t.beatAt(6 * TICK) + 0.3, 6 * TICK, t)).toBeNull();
  });

  it('rejects bad options', () => {
    expect(() => new PhaseFollower({ window: 0 })).toThrow(RangeError);
    expect(() => new PhaseFollower({ maxStepBeats: 0 })).toThrow(RangeError);
    expect(() => new PhaseFollower({ latencySeconds: -1 })).toThrow(RangeError);
  });
});
