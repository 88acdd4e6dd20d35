import { describe, expect, it } from 'vitest';
import { DjFilter, djFilterCutoff, djFilterResonance } from '../../../engine/dsp/djFilter.js';

const RATE = 44100;

/** Mono sine, `seconds` long, amplitude `amp`. */
const sine = (freq: number, seconds: number, amp = 0.5): Float32Array =>
  Float32Array.from({ length: Math.round(RATE * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / RATE));

/** Deterministic uniform noise in [-amp, amp) (mulberry32). */
function noise(length: number, seed: number, amp = 1): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = amp * (2 * (((t ^ (t >>> 14)) >>> 0) / 4294967296) - 1);
  }
  return out;
}

/** Bit-for-bit equality (tells -0 from +0, unlike toEqual's number comparison). */
const sameBits = (a: Float32Array, b: Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const rms = (x: Float32Array, from: number, to = x.length): number => {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i] * x[i];
  return Math.sqrt(e / (to - from));
};

/** Largest |x[n] - x[n-1]|. */
const maxStep = (x: Float32Array): number => {
  let m = 0;
  for (let i = 1; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - x[i - 1]));
  return m;
};

/** A filter already settled at `knob` (reset() jumps the smoother to the target). */
function settledAt(knob: number): DjFilter {
  const filter = new DjFilter({ sampleRate: RATE });
  filter.setTarget(knob);
  filter.reset();
  return filter;
}

/** Steady-state gain in dB of a filter settled at `knob` for a sine at `freq` (0.5 s, RMS of the last 0.25 s). */
function gainDb(knob: number, freq: number): number {
  const x = sine(freq, 0.5);
  const y = x.slice();
  settledAt(knob).process(y, y.length, 1);
  const from = Math.round(RATE * 0.25);
  return 20 * Math.log10(rms(y, from) / rms(x, from));
}

describe('DjFilter', () => {
  it('maps the knob exponentially onto the cutoff and the resonance', () => {
    expect(djFilterCutoff(-1)).toBeCloseTo(60, 6);
    expect(djFilterCutoff(-0.5)).toBeCloseTo(Math.sqrt(20000 * 60), 6);
    expect(djFilterCutoff(1)).toBeCloseTo(8000, 6);
    expect(djFilterCutoff(0.5)).toBeCloseTo(400, 6);
    expect(djFilterResonance(0)).toBeCloseTo(0.9, 12);
    expect(djFilterResonance(-1)).toBeCloseTo(1.8, 12);
    expect(djFilterResonance(1)).toBeCloseTo(1.8, 12);
  });

  it('is bit-identical to the input at knob 0, fresh and after an excursion (even -0 stays -0)', () => {
    const x = noise(RATE, 1);
    for (let i = 0; i < x.length; i += 97) x[i] = -0; // a wet/dry mix at 0 % would turn these into +0
    const fresh = x.slice();
    const filter = new DjFilter({ sampleRate: RATE });
    filter.process(fresh, RATE / 2, 2);
    expect(sameBits(fresh, x)).toBe(true);

    filter.setTarget(-0.8);
    const excursion = x.slice();
    filter.process(excursion, RATE / 2, 2);
    expect(sameBits(excursion, x)).toBe(false);
    filter.setTarget(0);
    const back = x.slice();
    filter.process(back, RATE / 2, 2); // 0.5 s: the 20 ms glide has snapped onto 0
    expect(filter.knob).toBe(0);
    const after = x.slice();
    filter.process(after, RATE / 2, 2);
    expect(sameBits(after, x)).toBe(true);
  });

  it('knob -1 is a low-pass at 60 Hz: 40 Hz passes, 1 kHz is down by more than 40 dB', () => {
    // "Passes": no more than 3 dB lost. The Q 1.8 resonance lifts 40 Hz by about +3.5 dB,
    // below the analogue peak of +5.5 dB.
    const pass = gainDb(-1, 40);
    expect(pass).toBeGreaterThan(-3);
    expect(pass).toBeLessThan(5.5);
    expect(gainDb(-1, 1000)).toBeLessThan(-40);
  });

  it('knob +1 is a high-pass at 8 kHz: 200 Hz is down by more than 40 dB, 15 kHz passes within 3 dB', () => {
    expect(gainDb(1, 200)).toBeLessThan(-40);
    expect(Math.abs(gainDb(1, 15000))).toBeLessThan(3);
  });

  it('knob -0.5 cuts near the geometric mean (1.1 kHz): 300 Hz passes within 3 dB, 5 kHz is down by more than 20 dB', () => {
    expect(Math.abs(gainDb(-0.5, 300))).toBeLessThan(3);
    expect(gainDb(-0.5, 5000)).toBeLessThan(-20);
  });

  it('has a resonance bump at the cutoff that grows towards the ends of the knob', () => {
    // Passband reference an octave and more below the cutoff (fc / 8).
    const bumpDb = (knob: number) => {
      const fc = djFilterCutoff(knob);
      return gainDb(knob, fc) - gainDb(knob, fc / 8);
    };
    const middle = bumpDb(-0.5); // Q 1.27: analogue +2.1 dB at fc
    const end = bumpDb(-0.9); // Q 1.69: +4.6 dB
    expect(middle).toBeGreaterThan(1.5);
    expect(middle).toBeLessThan(3);
    expect(end).toBeGreaterThan(middle + 1.5);
    // The same on the high-pass side, against fc * 8.
    const fc = djFilterCutoff(0.5);
    expect(gainDb(0.5, fc) - gainDb(0.5, fc * 8)).toBeGreaterThan(1.5);
  });

  it('glides the knob with a one-pole smoother and ignores NaN, clamping the range', () => {
    const filter = new DjFilter({ sampleRate: RATE, smoothingSeconds: 0.02 });
    filter.setTarget(-3);
    expect(filter.target).toBe(-1);
    filter.setTarget(Number.NaN);
    expect(filter.target).toBe(-1);
    const buffer = new Float32Array(RATE);
    filter.process(buffer, Math.round(RATE * 0.02), 1); // one time constant
    expect(filter.knob).toBeCloseTo(-(1 - Math.exp(-1)), 3);
    filter.process(buffer, RATE, 1);
    expect(filter.knob).toBe(-1);
  });

  it('sweeps -1 -> +1 -> -1 in 1 s over a 440 Hz sine without zipper noise or clicks', () => {
    const x = sine(440, 1);
    const y = x.slice();
    const filter = new DjFilter({ sampleRate: RATE });
    const chunk = 128;
    filter.setTarget(-1);
    filter.reset();
    for (let start = 0; start < y.length; start += chunk) {
      const t = start / y.length; // 0..1: knob goes -1 -> +1 (first half) -> -1
      filter.setTarget(t < 0.5 ? -1 + 4 * t : 3 - 4 * t);
      filter.process(y.subarray(start), Math.min(chunk, y.length - start), 1);
    }
    // The resonance (Q up to 1.8 when the cutoff passes 440 Hz) may lift the sine's slope up
    // to ~1.9x; a click from a state reset or a dry/wet jump would be a step of the order of
    // the amplitude (~16x the sine's step).
    expect(maxStep(y)).toBeLessThan(2 * maxStep(x));
    expect(rms(y, 0)).toBeGreaterThan(0.05); // not trivially silent
  });

  it('stays finite and below +12 dBFS under random knob jumps every 10 ms on full-scale white noise', () => {
    for (const smoothingSeconds of [0.02, 0]) {
      const y = noise(RATE * 10, 7);
      const filter = new DjFilter({ sampleRate: RATE, smoothingSeconds });
      const jumps = noise(1000, 99);
      const hop = RATE / 100;
      let peak = 0;
      for (let j = 0; j < 1000; j++) {
        filter.setTarget(jumps[j]);
        const block = y.subarray(j * hop, (j + 1) * hop);
        filter.process(block, hop, 1);
        for (let i = 0; i < hop; i++) {
          const a = Math.abs(block[i]);
          if (!(a <= peak)) peak = a; // NaN also lands here
        }
      }
      expect(Number.isFinite(peak)).toBe(true);
      expect(peak).toBeLessThan(10 ** (12 / 20));
      expect(peak).toBeGreaterThan(0.5);
    }
  });

  it('filters stereo channels independently', () => {
    const left = noise(RATE / 2, 3);
    const stereo = new Float32Array(left.length * 2);
    for (let i = 0; i < left.length; i++) stereo[2 * i] = left[i];
    const mono = left.slice();
    const a = settledAt(-0.4);
    const b = settledAt(-0.4);
    a.process(stereo, left.length, 2);
    b.process(mono, left.length, 1);
    for (let i = 0; i < left.length; i++) {
      if (stereo[2 * i + 1] !== 0) throw new Error(`right channel not silent at frame ${i}`);
      if (stereo[2 * i] !== mono[i]) throw new Error(`left differs from a mono filter at frame ${i}`);
    }
    expect(rms(mono, 0)).toBeLessThan(0.5 * rms(left, 0)); // it did filter
  });

  it('rejects bad options and mismatched buffers loudly', () => {
    expect(() => new DjFilter({ sampleRate: 0 })).toThrow(/sampleRate/);
    expect(() => new DjFilter({ sampleRate: RATE, smoothingSeconds: -1 })).toThrow(/smoothingSeconds/);
    const filter = new DjFilter({ sampleRate: RATE, maxChannels: 2 });
    expect(() => filter.process(new Float32Array(10), 6, 2)).toThrow(RangeError);
    expect(() => filter.process(new Float32Array(12), 4, 3)).toThrow(/maxChannels 2/);
    expect(filter.config).toEqual({ sampleRate: RATE, smoothingSeconds: 0.02, maxChannels: 2 });
  });
});
