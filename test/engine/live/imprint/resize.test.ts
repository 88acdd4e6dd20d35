import { describe, expect, it } from 'vitest';
import { resizeBilinear } from '../../../../engine/live/imprint/resize.js';
import { makeImage } from './helpers.js';

describe('resizeBilinear', () => {
  it('the same size is an identical copy', () => {
    const image = makeImage(3, 2, (x, y) => [x * 50, y * 90, 7]);
    const out = resizeBilinear(image, 3, 2);
    expect(out.rgb).toEqual(image.rgb);
    expect(out.rgb === image.rgb).toBe(false);
  });

  it('enlarges by linear interpolation between pixel centres, edges repeated', () => {
    const out = resizeBilinear(makeImage(2, 1, (x) => (x === 0 ? [0, 0, 0] : [200, 200, 200])), 4, 1);
    // output centres at input positions -0.25, 0.25, 0.75, 1.25
    expect([...out.rgb].filter((_, i) => i % 3 === 0)).toEqual([0, 50, 150, 200]);
  });

  it('shrinks by averaging, so fine detail becomes grey instead of aliasing', () => {
    const checker = makeImage(64, 64, (x, y) => ((x + y) % 2 === 0 ? [255, 255, 255] : [0, 0, 0]));
    const out = resizeBilinear(checker, 8, 8);
    for (const p of out.rgb) expect(Math.abs(p - 127.5)).toBeLessThan(8);
  });

  it('keeps a constant image constant at any size', () => {
    const out = resizeBilinear(makeImage(7, 5, () => [10, 120, 250]), 23, 3);
    for (let i = 0; i < out.rgb.length; i += 3) expect([out.rgb[i], out.rgb[i + 1], out.rgb[i + 2]]).toEqual([10, 120, 250]);
  });

  it('refuses bad sizes', () => {
    const image = makeImage(2, 2, () => [0, 0, 0]);
    expect(() => resizeBilinear(image, 0, 2)).toThrow(RangeError);
    expect(() => resizeBilinear({ width: 2, height: 2, rgb: new Uint8Array(5) }, 4, 4)).toThrow(/rgb does not match 2x2/);
  });
});
