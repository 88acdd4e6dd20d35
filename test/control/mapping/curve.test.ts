import { describe, expect, it } from 'vitest';
import { CURVES, applyCurve, invertCurve } from '../../../control/mapping/curve.js';
import { relativeStep } from '../../../control/mapping/relativeEncoder.js';

describe('curves', () => {
  it('every curve runs from 0 to 1, rising, and its inverse undoes it', () => {
    for (const curve of CURVES) {
      expect(applyCurve(curve, 0)).toBeCloseTo(0, 12);
      expect(applyCurve(curve, 1)).toBeCloseTo(1, 12);
      let last = -1;
      for (let i = 0; i <= 127; i++) {
        const y = applyCurve(curve, i / 127);
        expect(y).toBeGreaterThan(last);
        last = y;
        expect(invertCurve(curve, y)).toBeCloseTo(i / 127, 9);
      }
    }
  });

  it('exponential spends the travel on the low end, logarithmic on the high end', () => {
    expect(applyCurve('exponential', 0.5)).toBeCloseTo(9 / 99, 9); // (100^0.5 - 1) / 99
    expect(applyCurve('logarithmic', 0.5)).toBeGreaterThan(0.8);
    expect(applyCurve('linear', 0.25)).toBe(0.25);
  });

  it('clamps positions outside 0–1 and NaN', () => {
    expect(applyCurve('linear', -3)).toBe(0);
    expect(applyCurve('exponential', 7)).toBeCloseTo(1, 12);
    expect(applyCurve('linear', Number.NaN)).toBe(0);
  });
});

describe('relative encoders', () => {
  it('decodes one click each way in each encoding', () => {
    expect([relativeStep('signed-bit', 1), relativeStep('signed-bit', 65)]).toEqual([1, -1]);
    expect([relativeStep('binary-offset', 65), relativeStep('binary-offset', 63)]).toEqual([1, -1]);
    expect([relativeStep('twos-complement', 1), relativeStep('twos-complement', 127)]).toEqual([1, -1]);
  });

  it('decodes fast turns (several clicks per message)', () => {
    expect(relativeStep('signed-bit', 5)).toBe(5);
    expect(relativeStep('signed-bit', 64 + 5)).toBe(-5);
    expect(relativeStep('binary-offset', 64 + 10)).toBe(10);
    expect(relativeStep('binary-offset', 64 - 10)).toBe(-10);
    expect(relativeStep('twos-complement', 128 - 10)).toBe(-10);
    expect(relativeStep('none', 100)).toBe(0);
  });
});
