/** One segment of the imprint source's tour: what to imprint on which beat. */
export interface ImprintTourStep {
  /** bundled seed loop name */
  readonly beat: string;
  readonly text: string;
  /** imprint strength k */
  readonly strength: number;
}

/** Words that stay large on a 512 × 512 beat (one or two lines) and read as themselves. */
export const TOUR_WORDS = ['SYNESTHETE', 'SEE THE SOUND', 'HEAR THE PICTURE'] as const;
/** Strengths between 0.3 and 0.7, where both the words and the groove come through (docs/imprint.md). */
export const TOUR_STRENGTHS = [0.4, 0.6, 0.5, 0.7, 0.35] as const;
/** Segments each beat plays before the tour moves to the next. */
export const SEGMENTS_PER_BEAT = 2;

/**
 * The out-of-the-box show: with no picture chosen by the performer, the imprint source tours the
 * bundled seed loops (two segments on each, starting with `beats[0]`) and presses a different
 * word and strength into every segment, so the first show a newcomer hears moves instead of
 * repeating one loop. The three cycles have coprime-ish lengths (words 3, strengths 5, beats
 * `beats.length` × 2), so the same combination comes back only after many segments.
 *
 * @param step segment number from 0
 * @param beats the seed loops to tour, in order (non-empty)
 * @example
 * imprintTourStep(0, ['og_beat', 'agile']) // { beat: 'og_beat', text: 'SYNESTHETE', strength: 0.4 }
 * imprintTourStep(2, ['og_beat', 'agile']) // { beat: 'agile', text: 'HEAR THE PICTURE', strength: 0.5 }
 */
export function imprintTourStep(step: number, beats: readonly string[]): ImprintTourStep {
  if (!(Number.isInteger(step) && step >= 0)) throw new RangeError(`imprint tour: step must be a whole number >= 0, got ${step}`);
  if (beats.length === 0) throw new RangeError('imprint tour: no beats to tour');
  return {
    beat: beats[Math.floor(step / SEGMENTS_PER_BEAT) % beats.length]!,
    text: TOUR_WORDS[step % TOUR_WORDS.length]!,
    strength: TOUR_STRENGTHS[step % TOUR_STRENGTHS.length]!,
  };
}
