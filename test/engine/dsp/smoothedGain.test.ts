import { describe, expect, it } from 'vitest';
import { SmoothedGain } from '../../../engine/dsp/smoothedGain.js';

const RATE = 44100;

/** Bit-for-bit equality (fast on long arrays; tells -0 from +0). */
const sameBits = (a: Float32Array, b: Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const ramp = (length: number): Float32Array => Float32Array.from({ length }, (_, i) => Math.sin(i * 0.37) * 0.9);

describe('SmoothedGain', () => {
  it('is bit-identical when settled at 1 and exact zeros when settled at 0', () => {
    const x = ramp(2 * 1024);
    const gain = new SmoothedGain({ sampleRate: RATE });
    const y = x.slice();
    gain.process(y, 1024, 2);
    expect(sameBits(y, x)).toBe(true);

    gain.setTarget(0);
    const z = x.slice();
    gain.process(z, 1024, 2); // 1024 frames > the 221-frame ramp
    expect(gain.settled).toBe(true);
    const silent = x.slice();
    gain.process(silent, 1024, 2);
    expect(Array.from(silent).every((v) => Object.is(v, 0))).toBe(true);
  });

  it('ramps linearly over rampSeconds, starting with the first frame, ending exactly on the target', () => {
    const gain = new SmoothedGain({ sampleRate: RATE, rampSeconds: 0.005 });
    const frames = 300;
    const y = new Float32Array(2 * frames).fill(1);
    gain.setTarget(0.5);
    gain.process(y, frames, 2);
    const rampFrames = Math.round(0.005 * RATE); // 221
    expect(y[0]).toBeCloseTo(1 - 0.5 / rampFrames, 6);
    expect(y[1]).toBe(y[0]); // both channels share the gain
    for (let f = 1; f < rampFrames; f++) {
      expect(y[2 * f] - y[2 * (f - 1)]).toBeCloseTo(-0.5 / rampFrames, 6); // constant step: linear
    }
    expect(y[2 * (rampFrames - 1)]).toBe(0.5);
    expect(y[2 * (frames - 1)]).toBe(0.5);
    expect(gain.value).toBe(0.5);
  });

  it('continues a ramp across chunk boundaries and restarts from the current gain on a new target', () => {
    const whole = new SmoothedGain({ sampleRate: RATE });
    const chunked = new SmoothedGain({ sampleRate: RATE });
    const a = new Float32Array(400).fill(0.8);
    const b = a.slice();
    whole.setTarget(0.2);
    chunked.setTarget(0.2);
    whole.process(a, 400, 1);
    for (let start = 0; start < 400; start += 64) chunked.process(b.subarray(start), Math.min(64, 400 - start), 1);
    expect(sameBits(b, a)).toBe(true);

    const mid = new SmoothedGain({ sampleRate: RATE });
    mid.setTarget(0);
    const c = new Float32Array(100).fill(1);
    mid.process(c, 100, 1);
    expect(mid.settled).toBe(false);
    const before = mid.value;
    mid.setTarget(1);
    const d = new Float32Array(1).fill(1);
    mid.process(d, 1, 1);
    expect(d[0]).toBeGreaterThan(before); // no jump back to 0 or 1: it turns around where it was
    expect(d[0] - before).toBeLessThan(0.01);
  });

  it('clamps the target to 0..1, ignores NaN, and jumps at once when rampSeconds is 0', () => {
    const gain = new SmoothedGain({ sampleRate: RATE, rampSeconds: 0, initial: 0.25 });
    gain.setTarget(Number.NaN);
    expect(gain.target).toBe(0.25);
    gain.setTarget(7);
    expect(gain.target).toBe(1);
    expect(gain.value).toBe(1);
    gain.setTarget(-2);
    const y = new Float32Array(4).fill(0.5);
    gain.process(y, 4, 1);
    expect(Array.from(y)).toEqual([0, 0, 0, 0]);
    expect(() => new SmoothedGain({ sampleRate: RATE, initial: 2 })).toThrow(/initial/);
    expect(() => new SmoothedGain({ sampleRate: -1 })).toThrow(/sampleRate/);
    expect(() => gain.process(new Float32Array(3), 2, 2)).toThrow(RangeError);
  });
});
