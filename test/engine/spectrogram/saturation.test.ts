import { describe, expect, it } from 'vitest';
import { boostSaturation } from '../../../engine/spectrogram/saturation.js';

describe('boostSaturation', () => {
  const rgb = Uint8Array.from([0, 100, 140, 128, 128, 128, 250, 10, 40, 0, 255, 0]);

  it('is the identity at s = 1', () => {
    expect(Array.from(boostSaturation(rgb, 1))).toEqual(Array.from(rgb));
  });

  it('leaves grey pixels unchanged at any s', () => {
    for (const s of [0, 0.5, 2, 10]) expect(Array.from(boostSaturation(rgb, s).subarray(3, 6))).toEqual([128, 128, 128]);
  });

  it('scales channel differences by s around the pixel mean, then clamps', () => {
    const out = boostSaturation(rgb, 2);
    // Pixel 0: mean 80 -> 80 + 2 * (c - 80) = [-80 -> 0, 120, 200]; |G - B| goes 40 -> 80.
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 120, 200]);
    // Pixel 2 saturates: mean 100 -> [400 -> 255, -80 -> 0, -20 -> 0].
    expect(Array.from(out.subarray(6, 9))).toEqual([255, 0, 0]);
  });

  it('s = 0 gives greyscale (the mean of the three channels)', () => {
    expect(Array.from(boostSaturation(rgb, 0).subarray(9, 12))).toEqual([85, 85, 85]);
  });

  it('rejects negative or non-finite factors', () => {
    expect(() => boostSaturation(rgb, -1)).toThrow(/saturation/);
    expect(() => boostSaturation(rgb, Number.NaN)).toThrow(/saturation/);
    expect(() => boostSaturation(rgb, Infinity)).toThrow(/saturation/);
  });
});
