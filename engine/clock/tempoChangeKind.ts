/** Tempo changes within this fraction of the tempo segments were fitted to are played by retiming. */
export const RETIME_TOLERANCE = 0.02;

/**
 * What a new master tempo means for segments fitted to `fittedBpm`: `none` (the same tempo, or
 * free-length segments), `retime` (within `tolerance`: play them at a fractional rate, no
 * re-render, so a jittery external clock never re-renders), or `refit` (re-render the coming
 * segments to whole bars of the new tempo).
 */
export function tempoChangeKind(fittedBpm: number | null, newBpm: number, tolerance = RETIME_TOLERANCE): 'none' | 'retime' | 'refit' {
  if (fittedBpm === null || Math.abs(newBpm - fittedBpm) < 1e-9) return 'none';
  return Math.abs(newBpm / fittedBpm - 1) <= tolerance + 1e-12 ? 'retime' : 'refit';
}
