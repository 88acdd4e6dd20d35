import { describe, expect, it } from 'vitest';
import { DjFilter } from '../../../engine/dsp/djFilter.js';
import { SmoothedGain } from '../../../engine/dsp/smoothedGain.js';
import { InstantChain } from '../../../engine/live/playback/instantChain.js';

const RATE = 44100;

/** Bit-for-bit equality (fast on long arrays; tells -0 from +0). */
const sameBits = (a: Float32Array, b: Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Stereo interleaved test signal: a sine on the left, another on the right. */
function stereoSignal(frames: number): Float32Array {
  const x = new Float32Array(2 * frames);
  for (let f = 0; f < frames; f++) {
    x[2 * f] = 0.5 * Math.sin((2 * Math.PI * 220 * f) / RATE);
    x[2 * f + 1] = 0.4 * Math.sin((2 * Math.PI * 3000 * f) / RATE + 1);
  }
  return x;
}

describe('InstantChain', () => {
  it('is transparent at the defaults and reports its targets', () => {
    const chain = new InstantChain({ sampleRate: RATE });
    expect(chain.state).toEqual({ gain: 1, filter: 0 });
    const x = stereoSignal(2048);
    const y = x.slice();
    chain.process(y, 2048);
    expect(sameBits(y, x)).toBe(true);
    chain.set({ filter: 0.3 });
    expect(chain.state).toEqual({ gain: 1, filter: 0.3 });
    chain.set({ gain: 0.2 });
    expect(chain.state).toEqual({ gain: 0.2, filter: 0.3 });
  });

  it('gain 0.5 on a constant signal settles to half within 5 ms', () => {
    const chain = new InstantChain({ sampleRate: RATE, channels: 2 });
    chain.set({ gain: 0.5 });
    const frames = 1024;
    const y = new Float32Array(2 * frames).fill(0.6);
    chain.process(y, frames);
    const half = Math.fround(Math.fround(0.6) * 0.5);
    const settledBy = Math.floor(0.005 * RATE); // frame 220 is 4.99 ms in
    expect(y[0]).toBeLessThan(Math.fround(0.6)); // already moving on the first frame
    for (let f = 1; f < settledBy; f++) {
      expect(y[2 * f]).toBeLessThan(y[2 * (f - 1)]); // monotonic, no overshoot
      expect(y[2 * f]).toBeGreaterThan(half);
    }
    for (let f = settledBy; f < frames; f++) {
      if (y[2 * f] !== half || y[2 * f + 1] !== half) throw new Error(`frame ${f} is ${y[2 * f]}, ${y[2 * f + 1]}, not ${half}`);
    }
  });

  it('applies the filter first, then the gain', () => {
    const frames = 4096;
    const x = stereoSignal(frames);
    const chain = new InstantChain({ sampleRate: RATE });
    chain.set({ filter: -0.6, gain: 0.25 });
    const viaChain = x.slice();
    chain.process(viaChain, frames);

    const filter = new DjFilter({ sampleRate: RATE });
    const gain = new SmoothedGain({ sampleRate: RATE });
    filter.setTarget(-0.6);
    gain.setTarget(0.25);
    const expected = x.slice();
    filter.process(expected, frames, 2);
    gain.process(expected, frames, 2);
    expect(sameBits(viaChain, expected)).toBe(true);

    // And the reverse order would differ while the gain ramps (the filter smears the ramp).
    const reversed = x.slice();
    const filter2 = new DjFilter({ sampleRate: RATE });
    const gain2 = new SmoothedGain({ sampleRate: RATE });
    filter2.setTarget(-0.6);
    gain2.setTarget(0.25);
    gain2.process(reversed, frames, 2);
    filter2.process(reversed, frames, 2);
    expect(sameBits(reversed, expected)).toBe(false);

    // Settled: the 3 kHz right channel is cut by the ~900 Hz low-pass on top of the gain.
    const late = stereoSignal(RATE / 2);
    chain.process(late, RATE / 2);
    let left = 0, right = 0;
    for (let f = RATE / 4; f < RATE / 2; f++) {
      left = Math.max(left, Math.abs(late[2 * f]));
      right = Math.max(right, Math.abs(late[2 * f + 1]));
    }
    expect(left).toBeGreaterThan(0.25 * 0.5 * 0.8); // 220 Hz passes (times the 0.25 gain)
    expect(left).toBeLessThan(0.25 * 0.5 * 1.4);
    expect(right).toBeLessThan(0.25 * 0.4 * 0.1); // 3 kHz is down by more than 20 dB
  });

  it('changes a chunk from its first sample when set() comes before it', () => {
    for (const controls of [{ gain: 0.5 }, { filter: -1 }, { filter: 1 }]) {
      const chain = new InstantChain({ sampleRate: RATE });
      const x = stereoSignal(1024);
      const first = x.slice(0, 1024);
      chain.process(first, 512);
      expect(sameBits(first, x.subarray(0, 1024))).toBe(true); // before set(): untouched
      chain.set(controls);
      const second = x.slice(1024);
      chain.process(second, 512);
      expect(second[0]).not.toBe(x[1024]);
      expect(second[1]).not.toBe(x[1025]);
    }
  });
});
