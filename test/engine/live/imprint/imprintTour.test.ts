import { describe, expect, it } from 'vitest';
import { SEGMENTS_PER_BEAT, TOUR_STRENGTHS, TOUR_WORDS, imprintTourStep } from '../../../../engine/live/imprint/imprintTour.js';

const BEATS = ['og_beat', 'agile', 'marim', 'motorway', 'vibes'];

describe('imprintTourStep (the out-of-the-box imprint show)', () => {
  it('starts on the first beat and moves to the next every two segments, round and round', () => {
    const beats = Array.from({ length: 12 }, (_, n) => imprintTourStep(n, BEATS).beat);
    expect(beats).toEqual(['og_beat', 'og_beat', 'agile', 'agile', 'marim', 'marim', 'motorway', 'motorway', 'vibes', 'vibes', 'og_beat', 'og_beat']);
    expect(SEGMENTS_PER_BEAT).toBe(2);
  });

  it('changes the imprint on every segment: no two neighbours alike, and a long way before a step repeats', () => {
    const key = (n: number) => JSON.stringify(imprintTourStep(n, BEATS));
    for (let n = 0; n < 200; n++) {
      const a = imprintTourStep(n, BEATS), b = imprintTourStep(n + 1, BEATS);
      expect(a.text).not.toBe(b.text);
      expect(a.strength).not.toBe(b.strength);
    }
    // words (3), strengths (5) and beats (5 x 2 segments) only line up again after lcm(3, 5, 10) = 30 segments
    const distinct = new Set(Array.from({ length: 30 }, (_, n) => key(n)));
    expect(distinct.size).toBe(30);
    expect(key(30)).toBe(key(0));
  });

  it('keeps to words and strengths that read and sound well (k from 0.3 to 0.7)', () => {
    for (let n = 0; n < 30; n++) {
      const s = imprintTourStep(n, BEATS);
      expect(TOUR_WORDS).toContain(s.text);
      expect(s.strength).toBeGreaterThanOrEqual(0.3);
      expect(s.strength).toBeLessThanOrEqual(0.7);
    }
    expect(new Set(TOUR_STRENGTHS).size).toBe(TOUR_STRENGTHS.length);
  });

  it('tours a single beat too, and refuses nonsense with one line', () => {
    expect(imprintTourStep(7, ['vibes']).beat).toBe('vibes');
    expect(() => imprintTourStep(0, [])).toThrow('imprint tour: no beats to tour');
    expect(() => imprintTourStep(-1, BEATS)).toThrow('step must be a whole number >= 0, got -1');
    expect(() => imprintTourStep(1.5, BEATS)).toThrow('got 1.5');
  });
});
