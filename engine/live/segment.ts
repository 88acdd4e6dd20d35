import type { RecipeSummary } from '../../control/protocol/state.js';
import type { RgbImage } from '../io/rgbImage.js';

/**
 * One playable piece of a live set: a sound-picture and its audio (stereo, loopable: reconstructed
 * as one period, so it can repeat when the next one is late), what made it, and the control
 * version it reflects (commands applied up to that version are heard in it).
 */
export interface Segment {
  readonly id: number;
  /** segments with the same audio (an unchanged imprint) share it: no crossfade between them */
  readonly audioId: number;
  readonly picture: RgbImage;
  /** [left, right], equal lengths */
  readonly audio: readonly [Float32Array, Float32Array];
  readonly recipe: RecipeSummary;
  /** control state version the segment was rendered for */
  readonly version: number;
  /** tempo it was fitted to (whole bars), null when free */
  readonly fittedBpm: number | null;
  readonly bars: number | null;
}

/** What a source renders; the engine numbers and versions it. */
export interface SegmentDraft {
  readonly picture: RgbImage;
  readonly audio: readonly [Float32Array, Float32Array];
  readonly recipe: RecipeSummary;
  /** whole bars it was fitted to (null: free length) */
  readonly bars?: number | null;
  /** called when the segment is kept (not superseded): sources advance their walk only then */
  readonly commit?: () => void;
  /** a recorded segment: the tempo it was fitted to (default: the settings' tempo) */
  readonly fittedBpm?: number | null;
  /** a recorded segment: the output frame it starts at (default: after the one before, or the next quantum) */
  readonly startFrame?: number;
}
