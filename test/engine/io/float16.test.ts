import { describe, expect, it } from 'vitest';
import { halfToFloat, toFloat16Bits } from '../../../engine/io/float16.js';

describe('float16', () => {
  it('rounds float32 to the nearest half, ties to even, overflowing to infinity', () => {
    const cases: [number, number][] = [
      [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [65520, 0x7c00], [-Infinity, 0xfc00], [0.1, 0x2e66],
      [6e-8, 0x0001], [2e-8, 0x0000], [-0, 0x8000],
      [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], // halfway: to the even mantissa
      [2 ** -14 * (1 - 2 ** -11), 0x0400], // the largest subnormal rounds up into the normals
    ];
    const bits = toFloat16Bits(Float32Array.from(cases.map(([x]) => x)));
    expect(Array.from(bits, (b) => b.toString(16))).toEqual(cases.map(([, h]) => h.toString(16)));
    expect(toFloat16Bits(Float32Array.of(NaN))[0]! & 0x7fff).toBeGreaterThan(0x7c00);
  });

  it('round-trips every finite half exactly', () => {
    const all = Array.from({ length: 65536 }, (_, h) => h).filter((h) => (h & 0x7c00) !== 0x7c00);
    const back = toFloat16Bits(Float32Array.from(all, halfToFloat));
    expect(Array.from(back)).toEqual(all);
  });
});
