import { describe, expect, it } from 'vitest';
import { fitToBars, resampleColumns, stretchLoop } from '../../../engine/dsp/tempoFit.js';

describe('tempo fitting', () => {
  it('fits a loop to the nearest whole number of bars, exact to the sample', () => {
    // 512 columns = 5.12 s; at 120 BPM a bar is 2 s: 3 bars = 6 s
    expect(fitToBars(512, 441, 44100, 120)).toEqual({ bars: 3, columns: 600, samples: 264600 });
    // at 93.75 BPM (Riffusion's seed loops) 512 columns are exactly 2 bars
    expect(fitToBars(512, 441, 44100, 93.75)).toEqual({ bars: 2, columns: 512, samples: 225792 });
    // a short loop is at least one bar; a tempo whose bar is not a whole number of columns
    const odd = fitToBars(100, 441, 44100, 133);
    expect(odd.bars).toBe(1);
    expect(odd.samples).toBe(Math.round((4 * 60 * 44100) / 133));
    expect(Math.abs(odd.columns * 441 - odd.samples)).toBeLessThanOrEqual(441 / 2);
  });

  it('resamples spectrogram columns circularly and keeps a constant row constant', () => {
    const mel = Float32Array.from([0, 1, 2, 3, 5, 5, 5, 5]); // 2 rows x 4 columns
    const out = resampleColumns(mel, 2, 4, 8);
    expect(Array.from(out.subarray(0, 8))).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 1.5]);
    expect(Array.from(out.subarray(8))).toEqual(new Array(8).fill(5));
  });

  it('stretches a loop by a tiny ratio without changing a slow sine', () => {
    const n = 44100;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 10 * i) / n));
    const y = stretchLoop(x, n + 100);
    expect(y.length).toBe(n + 100);
    for (let k = 0; k < y.length; k += 997) expect(y[k]!).toBeCloseTo(Math.sin((2 * Math.PI * 10 * k) / (n + 100)), 4);
  });
});
