import { describe, expect, it } from 'vitest';
import { tempoChangeKind } from '../../../engine/clock/tempoChangeKind.js';

describe('tempoChangeKind', () => {
  it('is none for the same tempo or free-length segments', () => {
    expect(tempoChangeKind(120, 120)).toBe('none');
    expect(tempoChangeKind(120, 120 + 1e-10)).toBe('none');
    expect(tempoChangeKind(null, 140)).toBe('none');
  });

  it('retimes within the tolerance and refits beyond it', () => {
    expect(tempoChangeKind(120, 122.4)).toBe('retime'); // exactly 2 %
    expect(tempoChangeKind(120, 117.6)).toBe('retime');
    expect(tempoChangeKind(120, 122.5)).toBe('refit');
    expect(tempoChangeKind(120, 110)).toBe('refit');
    expect(tempoChangeKind(120, 125, 0.05)).toBe('retime');
  });
});
