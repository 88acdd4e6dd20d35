import { describe, expect, it } from 'vitest';
import { resample } from '../../../engine/dsp/resample.js';

const tone = (freq: number, rate: number, seconds: number, amp = 0.5) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate + 0.3));

/**
 * Least-squares fit of a*sin + b*cos at `freq` over the middle 80 % (away from the zero-padded
 * ends). Returns the fitted amplitude and the residual RMS relative to it, in dB.
 */
function fitTone(y: Float32Array, freq: number, rate: number): { amplitude: number; residualDb: number } {
  const lo = Math.floor(y.length * 0.1);
  const hi = Math.floor(y.length * 0.9);
  let ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
  for (let i = lo; i < hi; i++) {
    const s = Math.sin((2 * Math.PI * freq * i) / rate);
    const c = Math.cos((2 * Math.PI * freq * i) / rate);
    ss += s * s; cc += c * c; sc += s * c; ys += y[i] * s; yc += y[i] * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let res = 0;
  for (let i = lo; i < hi; i++) {
    const e = y[i] - a * Math.sin((2 * Math.PI * freq * i) / rate) - b * Math.cos((2 * Math.PI * freq * i) / rate);
    res += e * e;
  }
  const amplitude = Math.hypot(a, b);
  return { amplitude, residualDb: 20 * Math.log10(Math.sqrt(res / (hi - lo)) / (amplitude / Math.SQRT2)) };
}

function middleRmsDb(y: Float32Array, reference: number): number {
  let e = 0;
  const lo = Math.floor(y.length * 0.1);
  const hi = Math.floor(y.length * 0.9);
  for (let i = lo; i < hi; i++) e += y[i] * y[i];
  return 20 * Math.log10(Math.sqrt(e / (hi - lo)) / (reference / Math.SQRT2));
}

const db = (ratio: number) => 20 * Math.log10(ratio);

describe('resample', () => {
  it('returns a copy when the rates are equal', () => {
    const x = tone(440, 44100, 0.01);
    const y = resample(x, 44100, 44100);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
  });

  it('48 kHz -> 44.1 kHz keeps a 1 kHz tone: frequency and amplitude within 0.1 dB', () => {
    const y = resample(tone(1000, 48000, 1), 48000, 44100);
    expect(y.length).toBe(44100);
    const { amplitude, residualDb } = fitTone(y, 1000, 44100);
    expect(Math.abs(db(amplitude / 0.5))).toBeLessThan(0.1);
    expect(residualDb).toBeLessThan(-80);
  });

  it('passes up to 90 % of the lower Nyquist (19.5 kHz at 44.1 kHz output)', () => {
    const { amplitude, residualDb } = fitTone(resample(tone(19500, 48000, 0.5), 48000, 44100), 19500, 44100);
    expect(Math.abs(db(amplitude / 0.5))).toBeLessThan(0.1);
    expect(residualDb).toBeLessThan(-70);
  });

  it('removes content above the new Nyquist instead of aliasing it (23 kHz at 48 kHz -> 44.1 kHz)', () => {
    expect(middleRmsDb(resample(tone(23000, 48000, 0.5), 48000, 44100), 0.5)).toBeLessThan(-80);
  });

  it('44.1 kHz -> 16 kHz: 3 kHz kept, 9 kHz removed', () => {
    const { amplitude } = fitTone(resample(tone(3000, 44100, 0.5), 44100, 16000), 3000, 16000);
    expect(Math.abs(db(amplitude / 0.5))).toBeLessThan(0.1);
    expect(middleRmsDb(resample(tone(9000, 44100, 0.5), 44100, 16000), 0.5)).toBeLessThan(-80);
  });

  it('upsampling 22.05 kHz -> 44.1 kHz adds no images', () => {
    const y = resample(tone(1000, 22050, 0.5), 22050, 44100);
    expect(y.length).toBe(22050);
    const { amplitude, residualDb } = fitTone(y, 1000, 44100);
    expect(Math.abs(db(amplitude / 0.5))).toBeLessThan(0.1);
    expect(residualDb).toBeLessThan(-80);
  });

  it('handles an irregular ratio (44100 -> 44117, interpolated phases)', () => {
    const y = resample(tone(1000, 44100, 0.5), 44100, 44117);
    expect(y.length).toBe(Math.ceil((22050 * 44117) / 44100));
    const { amplitude, residualDb } = fitTone(y, 1000, 44117);
    expect(Math.abs(db(amplitude / 0.5))).toBeLessThan(0.1);
    expect(residualDb).toBeLessThan(-80);
  });

  it('keeps DC exactly away from the edges', () => {
    const y = resample(new Float32Array(4800).fill(0.5), 48000, 44100);
    for (let i = 500; i < y.length - 500; i++) expect(Math.abs(y[i] - 0.5)).toBeLessThan(1e-6);
  });

  it('resamples 10 s of audio to the exact output length', () => {
    const x = tone(440, 48000, 10);
    expect(resample(x, 48000, 44100).length).toBe(441000);
  });

  it('rejects non-integer rates', () => {
    expect(() => resample(new Float32Array(4), 44100.5, 48000)).toThrow(/positive integers/);
  });
});
