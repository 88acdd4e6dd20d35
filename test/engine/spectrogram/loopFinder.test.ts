import { describe, expect, it } from 'vitest';
import { readPng } from '../../../engine/io/png.js';
import { type ColumnArray, columnArrayFromImage, columnArrayFromLatent } from '../../../engine/spectrogram/columnArray.js';
import { LATENT_MIN_WIDTH, demoStrip, findLoop } from '../../../engine/spectrogram/loopFinder.js';
import { fixture } from '../../helpers/fixtures.js';
import { mulberry32 } from '../../helpers/prng.js';

/** a seeded PRNG, so the synthetic images are the same on every run */
const rng = mulberry32;

/** channels x rows x columns, value = pattern(c, r, x mod period) in 0..255 plus uniform noise of +-noise. */
function periodic(channels: number, rows: number, columns: number, period: number, noise: number, seed = 1): ColumnArray {
  const random = rng(seed);
  const pattern = Float32Array.from({ length: channels * rows * period }, () => random() * 255);
  const data = new Float32Array(channels * rows * columns);
  for (let k = 0; k < channels * rows; k++) {
    for (let x = 0; x < columns; x++) data[k * columns + x] = pattern[k * period + (x % period)]! + (random() * 2 - 1) * noise;
  }
  return { channels, rows, columns, data };
}

function copyColumn(arr: ColumnArray, from: number, to: number): void {
  for (let k = 0; k < arr.channels * arr.rows; k++) arr.data[k * arr.columns + to] = arr.data[k * arr.columns + from]!;
}

describe('findLoop', () => {
  it('finds the period of a noisy periodic image, and the planted matching column pair', () => {
    const arr = periodic(3, 64, 512, 200, 20);
    copyColumn(arr, 37, 237);
    const r = findLoop(arr, { minWidth: 150 });
    expect(r.width).toBe(200);
    expect([r.a, r.b, r.nudge]).toEqual([37, 237, 0]);
    expect(r.columnCorrelation).toBeCloseTo(1, 6);
    expect(r.correlation).toBeGreaterThan(0.95);
    expect(r.minWidth).toBe(150);
    expect(r.scores.length).toBe(256 - 150 + 1);
    // Off-period widths are uncorrelated noise.
    expect(Math.max(...Array.from(r.scores).filter((_, i) => i + 150 !== 200))).toBeLessThan(0.05);
  });

  it('prefers the smallest width among near-equal multiples of the period', () => {
    // Seed 1: the noise happens to make 400 score a hair above 200.
    const arr = periodic(3, 32, 900, 200, 20, 1);
    const r = findLoop(arr, { minWidth: 150 });
    expect(r.width).toBe(200);
    const at = (n: number) => r.scores[n - r.minWidth]!;
    expect(at(400)).toBeGreaterThan(at(200));
    expect(at(400) - at(200)).toBeLessThan(1e-3);
    // With no tie tolerance the raw argmax wins.
    expect(findLoop(arr, { minWidth: 150, tolerance: 0 }).width).toBe(400);
  });

  it('nudges a and b together, clamped to the image', () => {
    const arr = periodic(3, 16, 512, 200, 20);
    copyColumn(arr, 37, 237);
    expect(findLoop(arr, { nudge: 10 })).toMatchObject({ a: 47, b: 247, width: 200, nudge: 10 });
    expect(findLoop(arr, { nudge: -50 })).toMatchObject({ a: 0, b: 200, nudge: -37 });
    expect(findLoop(arr, { nudge: 1000 })).toMatchObject({ a: 312, b: 512, nudge: 275 });
  });

  it('uses a fixed width when asked, and clamps maxWidth to half the columns', () => {
    const arr = periodic(3, 16, 512, 200, 20);
    const fixed = findLoop(arr, { width: 180 });
    expect([fixed.width, fixed.minWidth, fixed.scores.length, fixed.b - fixed.a]).toEqual([180, 180, 1, 180]);
    expect(findLoop(arr, { minWidth: 190, maxWidth: 9999 }).scores.length).toBe(256 - 190 + 1);
    expect(findLoop(arr, { minWidth: 150, maxWidth: 199 }).width).toBeLessThan(200);
  });

  it('returns a valid loop for a random, non-periodic image', () => {
    const random = rng(3);
    const arr: ColumnArray = { channels: 3, rows: 32, columns: 400, data: Float32Array.from({ length: 3 * 32 * 400 }, () => random() * 255) };
    const r = findLoop(arr);
    expect(r.width).toBeGreaterThanOrEqual(150);
    expect(r.width).toBeLessThanOrEqual(200);
    expect(r.a).toBeGreaterThanOrEqual(0);
    expect(r.b).toBeLessThanOrEqual(400);
    expect(r.b - r.a).toBe(r.width);
    expect(Math.abs(r.correlation)).toBeLessThan(0.1);
    expect(Number.isFinite(r.columnCorrelation)).toBe(true);
  });

  it('scores a constant image as 0 instead of NaN', () => {
    const r = findLoop({ channels: 1, rows: 4, columns: 40, data: new Float32Array(160).fill(7) }, { minWidth: 5 });
    expect([r.width, r.a, r.b, r.correlation, r.columnCorrelation]).toEqual([5, 0, 5, 0, 0]);
  });

  it('finds the loop in a latent with the latent default minimum width', () => {
    const lat = periodic(4, 16, 96, 30, 0.05 * 255, 11);
    const r = findLoop(columnArrayFromLatent([1, 4, 16, 96], lat.data), { minWidth: LATENT_MIN_WIDTH });
    expect(r.width).toBe(30);
  });

  it('rejects widths the image cannot hold', () => {
    const arr = periodic(1, 4, 100, 20, 1);
    expect(() => findLoop(arr)).toThrow(/minWidth 150 must be a whole number in 1\.\.50/);
    expect(() => findLoop(arr, { width: 51 })).toThrow(RangeError);
    expect(() => findLoop(arr, { minWidth: 2.5 })).toThrow(RangeError);
    expect(() => findLoop(arr, { minWidth: 30, maxWidth: 20 })).toThrow(RangeError);
    expect(() => findLoop(arr, { minWidth: 10, nudge: 0.5 })).toThrow(RangeError);
  });

  // Speed is a benchmark matter (docs/loop.md gives the figures); here only the full search's extent.
  it('searches every width of a 512x512 RGB image, 1 to half the width', () => {
    const random = rng(5);
    const arr: ColumnArray = { channels: 3, rows: 512, columns: 512, data: Float32Array.from({ length: 3 * 512 * 512 }, () => random() * 255) };
    const r = findLoop(arr, { minWidth: 1 });
    expect(r.scores.length).toBe(256);
    expect(r.width).toBeGreaterThanOrEqual(1);
    expect(r.width).toBeLessThanOrEqual(256);
  });
});

describe('findLoop on og_beat (Riffusion seed image)', () => {
  const og = columnArrayFromImage(readPng(fixture('riffusion/seed_images/og_beat.png')));

  it('finds a two-period loop (256 columns within 2) whose end columns are pixel-identical', () => {
    const r = findLoop(og, { minWidth: 150 });
    // og_beat repeats with a 127-128 column period (riffusion.md section 5); 150..256 holds one multiple.
    expect(Math.abs(r.width - 256)).toBeLessThanOrEqual(2);
    // The seed is built from pasted copies: columns 190.. reappear exactly 255 columns later.
    expect({ width: r.width, a: r.a, b: r.b }).toEqual({ width: 255, a: 190, b: 445 });
    expect(r.columnCorrelation).toBeCloseTo(1, 9);
    for (let k = 0; k < og.channels * og.rows; k++) expect(og.data[k * og.columns + r.a]).toBe(og.data[k * og.columns + r.b]);
    expect(r.correlation).toBeGreaterThan(0.75);
    // The runner-up widths are the neighbours of the period multiple, not some unrelated width.
    const ranked = Array.from(r.scores).map((s, i) => [i + r.minWidth, s] as const).sort((x, y) => y[1] - x[1]);
    expect(ranked.slice(0, 3).map(([n]) => n).sort()).toEqual([254, 255, 256]);
  });
});

describe('demoStrip', () => {
  it('joins columns 0:b, a:b and a:end', () => {
    const arr: ColumnArray = { channels: 1, rows: 2, columns: 6, data: Float32Array.from([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]) };
    const d = demoStrip(arr, 2, 4);
    expect(d.columns).toBe(4 + 2 + 4);
    expect(Array.from(d.data)).toEqual([0, 1, 2, 3, 2, 3, 2, 3, 4, 5, 10, 11, 12, 13, 12, 13, 12, 13, 14, 15]);
    expect(() => demoStrip(arr, 3, 3)).toThrow(RangeError);
  });
});
