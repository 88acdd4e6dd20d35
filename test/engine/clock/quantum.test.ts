import { describe, expect, it } from 'vitest';
import { beatsInQuantum, isGridQuantum, QUANTA } from '../../../engine/clock/quantum.js';

describe('beatsInQuantum', () => {
  it('counts beats for grid quanta at the given meter', () => {
    expect(beatsInQuantum('beat', 4)).toBe(1);
    expect(beatsInQuantum('bar', 3)).toBe(3);
    expect(beatsInQuantum('2bars', 3)).toBe(6);
    expect(beatsInQuantum('4bars', 4)).toBe(16);
    expect(beatsInQuantum('4bars', 7)).toBe(28);
  });

  it('is null for now and segment', () => {
    expect(beatsInQuantum('now', 4)).toBeNull();
    expect(beatsInQuantum('segment', 4)).toBeNull();
  });

  it('classifies every quantum', () => {
    expect(QUANTA.filter(isGridQuantum)).toEqual(['beat', 'bar', '2bars', '4bars']);
  });
});
