import type { Beats } from './units.js';

/**
 * The launch quanta a change can wait for: at once, the next beat, bar, 2-bar or 4-bar phrase
 * boundary, or the end of the playing segment.
 */
export const QUANTA = ['now', 'beat', 'bar', '2bars', '4bars', 'segment'] as const;

/** One of {@link QUANTA}. */
export type Quantum = (typeof QUANTA)[number];

/** The quanta that lie on the transport's beat grid (see `Transport.nextBoundary`). */
export const GRID_QUANTA = ['beat', 'bar', '2bars', '4bars'] as const;

/** One of {@link GRID_QUANTA}. */
export type GridQuantum = (typeof GRID_QUANTA)[number];

/**
 * Whether `q` is a grid quantum (not 'now' or 'segment').
 * @example isGridQuantum('bar'); // true
 */
export function isGridQuantum(q: Quantum): q is GridQuantum {
  return (GRID_QUANTA as readonly string[]).includes(q);
}

/**
 * Bars in a bar-multiple quantum: 1 for 'bar', 2 for '2bars', 4 for '4bars'; 0 for 'beat'.
 * @example barsInQuantum('4bars'); // 4
 */
export function barsInQuantum(q: GridQuantum): number {
  return q === 'beat' ? 0 : q === 'bar' ? 1 : q === '2bars' ? 2 : 4;
}

/**
 * Length of a quantum in beats at a constant meter.
 * @param q the quantum
 * @param beatsPerBar beats in a bar
 * @returns beats (1 for 'beat', beatsPerBar for 'bar', 2× and 4× that for '2bars' and '4bars');
 *   null for 'now' and 'segment', which have no fixed length
 * @example beatsInQuantum('2bars', 3); // 6
 */
export function beatsInQuantum(q: Quantum, beatsPerBar: number): Beats | null {
  if (!isGridQuantum(q)) return null;
  return q === 'beat' ? 1 : barsInQuantum(q) * beatsPerBar;
}
