import { describe, expect, it } from 'vitest';
import { DOUBLE_TAP_MS, DoubleTap } from '../../../control/page/doubleTap.js';

describe('DoubleTap', () => {
  it('arms on the first tap and fires on a second within the window', () => {
    const d = new DoubleTap();
    expect(d.tap('source:images', 0)).toBe('armed');
    expect(d.isArmed('source:images', 300)).toBe(true);
    expect(d.tap('source:images', DOUBLE_TAP_MS)).toBe('fire');
    expect(d.armed(DOUBLE_TAP_MS)).toBeNull();
  });
  it('re-arms instead of firing when the second tap comes too late', () => {
    const d = new DoubleTap();
    d.tap('stop', 0);
    expect(d.isArmed('stop', DOUBLE_TAP_MS + 1)).toBe(false);
    expect(d.tap('stop', DOUBLE_TAP_MS + 1)).toBe('armed');
    expect(d.tap('stop', DOUBLE_TAP_MS + 100)).toBe('fire');
  });
  it('a tap on another button arms that one: sliding between two buttons fires neither', () => {
    const d = new DoubleTap();
    d.tap('source:images', 0);
    expect(d.tap('source:diffusion', 100)).toBe('armed');
    expect(d.tap('source:images', 200)).toBe('armed');
    expect(d.armed(200)).toBe('source:images');
  });
  it('fires only once per pair of taps', () => {
    const d = new DoubleTap();
    d.tap('x', 0);
    expect(d.tap('x', 100)).toBe('fire');
    expect(d.tap('x', 200)).toBe('armed');
  });
});
