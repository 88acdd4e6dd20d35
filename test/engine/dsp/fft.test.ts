import { describe, expect, it } from 'vitest';
import { ComplexFft, factorize } from '../../../engine/dsp/complexFft.js';
import { RealFft } from '../../../engine/dsp/realFft.js';

function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((t * k) % n)) / n;
      sr += re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
      si += re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
    }
    outRe[k] = sr; outIm[k] = si;
  }
  return [outRe, outIm];
}

function randomArray(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s = (s * 1103515245 + 12345) % 2147483648; a[i] = s / 2147483648 - 0.5; }
  return a;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('ComplexFft', () => {
  it('factorizes Riffusion sizes into the hand-written radices', () => {
    expect(factorize(8820)).toEqual([4, 3, 3, 5, 7, 7]);
    expect(factorize(2205)).toEqual([3, 3, 5, 7, 7]);
    expect(factorize(11 * 13 * 2)).toEqual([2, 11, 13]);
  });

  for (const n of [1, 2, 3, 4, 5, 7, 8, 12, 30, 49, 63, 105, 143, 2 * 11 * 13, 441, 630]) {
    it(`matches a naive DFT at size ${n}`, () => {
      const re = randomArray(n, n + 1), im = randomArray(n, n + 7);
      const [er, ei] = naiveDft(re, im);
      new ComplexFft(n).forward(re, im);
      expect(maxDiff(re, er)).toBeLessThan(1e-9 * n);
      expect(maxDiff(im, ei)).toBeLessThan(1e-9 * n);
    });
  }
});

describe('RealFft', () => {
  for (const n of [2, 6, 14, 30, 70, 210, 882]) {
    it(`forward matches the DFT of a real signal and inverse restores it (N=${n})`, () => {
      const x = randomArray(n, 3 * n);
      const [er, ei] = naiveDft(x, new Float64Array(n));
      const fft = new RealFft(n);
      const re = new Float64Array(fft.bins), im = new Float64Array(fft.bins);
      fft.forward(x, re, im);
      expect(maxDiff(re, er.subarray(0, fft.bins))).toBeLessThan(1e-9 * n);
      expect(maxDiff(im, ei.subarray(0, fft.bins))).toBeLessThan(1e-9 * n);
      const back = new Float64Array(n);
      fft.inverse(re, im, back);
      expect(maxDiff(back, x)).toBeLessThan(1e-12 * n);
    });
  }

  it('round-trips at Riffusion frame sizes 4410 and 17640', () => {
    for (const n of [4410, 17640]) {
      const x = randomArray(n, n);
      const fft = new RealFft(n);
      const re = new Float64Array(fft.bins), im = new Float64Array(fft.bins);
      fft.forward(x, re, im);
      // Parseval: sum x^2 = (1/N) (|X0|^2 + |X_N/2|^2 + 2 sum |Xk|^2)
      let e = 0; for (const v of x) e += v * v;
      let f = re[0]! ** 2 + re[n / 2]! ** 2;
      for (let k = 1; k < n / 2; k++) f += 2 * (re[k]! ** 2 + im[k]! ** 2);
      expect(f / n).toBeCloseTo(e, 8);
      const back = new Float64Array(n);
      fft.inverse(re, im, back);
      expect(maxDiff(back, x)).toBeLessThan(1e-12);
    }
  });

  it('windowed forward and inverse equal windowing around the plain transforms', () => {
    const n = 630;
    const fft = new RealFft(n);
    const signal = randomArray(n + 50, 11);
    const window = randomArray(n, 12);
    const re = new Float64Array(fft.bins), im = new Float64Array(fft.bins);
    const re2 = new Float64Array(fft.bins), im2 = new Float64Array(fft.bins);
    fft.forwardWindowed(signal, 17, window, re, im);
    fft.forward(window.map((w, i) => w * signal[17 + i]!), re2, im2);
    expect(maxDiff(re, re2)).toBeLessThan(1e-12);
    expect(maxDiff(im, im2)).toBeLessThan(1e-12);
    const out = new Float32Array(n + 10);
    fft.inverseWindowed(re, im, window, out, 5);
    const plain = new Float64Array(n);
    fft.inverse(re, im, plain);
    expect(maxDiff(out.subarray(5, 5 + n), plain.map((v, i) => v * window[i]!))).toBeLessThan(1e-5);
    expect(out[4]).toBe(0);
  });
});
