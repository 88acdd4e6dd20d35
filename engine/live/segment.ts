import type { RecipeSummary } from '../../control/commands/engineState.js';
import type { RgbImage } from '../io/rgbImage.js';

/**
 * One playable piece of a live set: a sound-picture and its audio (stereo, 44.1 kHz, loopable:
 * reconstructed as one period, so it can repeat when the next one is late), what made it, and the
 * control version it reflects (commands applied up to that version are heard in it).
 */
export interface Segment {
  readonly id: number;
  readonly picture: RgbImage;
  /** [left, right], equal lengths */
  readonly audio: readonly [Float32Array, Float32Array];
  readonly recipe: RecipeSummary;
  /** control state version the segment was rendered for */
  readonly version: number;
}

/** What a source renders; the engine numbers and versions it. */
export interface SegmentDraft {
  readonly picture: RgbImage;
  readonly audio: readonly [Float32Array, Float32Array];
  readonly recipe: RecipeSummary;
}
