import { describe, expect, it } from 'vitest';
import type { PlanBlock } from '../../../engine/diffusion/recipe.js';
import { alternateRhythm } from '../../../engine/live/sources/mixRhythm.js';

const P: PlanBlock = { model: 'picture', prompt: 'a castle', guidance: 7 };
const A: PlanBlock = { model: 'audio', prompt: 'church bells', guidance: 7 };
const rhythm = (mix: number) => alternateRhythm([P, A, A], mix).map((b) => (b.model === 'picture' ? 'P' : 'A')).join('');

describe('mix in an alternate plan', () => {
  it('runs from the picture model alone to the audio model alone, through the waltz at 0.5', () => {
    expect([1, 0.75, 0.5, 0.25, 0].map(rhythm)).toEqual(['P', 'PA', 'PAA', 'PAAA', 'A']);
    expect(rhythm(0.6)).toBe('PAA');
    expect(rhythm(0.9)).toBe('P');
  });

  it('keeps the prompts and guidance of the preset\'s blocks, and leaves a one-model plan alone', () => {
    expect(alternateRhythm([P, A], 0.25)).toEqual([P, A, A, A]);
    expect(alternateRhythm([A, A], 1)).toEqual([A, A]);
  });
});
