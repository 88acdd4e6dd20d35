import { type ColumnArray, joinColumnRanges } from './columnArray.js';

/** The write-up's starting cycle width for 512-wide images, in image columns (10 ms each). */
export const IMAGE_MIN_WIDTH = 150;
/** The write-up's starting cycle width on latents, in latent columns (8 image columns each). */
export const LATENT_MIN_WIDTH = 20;
/**
 * Scores within this much of the best count as a tie, and the smallest such width wins: a
 * pattern with period p correlates just as well at 2p, 3p, ..., and noise decides which of those
 * multiples scores a hair higher; the shortest one is the loop, the others are repeats of it.
 */
export const DEFAULT_TIE_TOLERANCE = 1e-3;

export interface LoopFinderOptions {
  /** smallest cycle width tried, columns; default IMAGE_MIN_WIDTH (150) */
  readonly minWidth?: number;
  /** largest cycle width tried, columns; default and upper limit: floor(columns / 2) */
  readonly maxWidth?: number;
  /** use this cycle width instead of searching (min/max are then ignored) */
  readonly width?: number;
  /** shift both loop points by this many columns (negative = earlier), clamped to the array */
  readonly nudge?: number;
  /** correlation difference treated as a tie between widths; default DEFAULT_TIE_TOLERANCE */
  readonly tolerance?: number;
  /** called after each width tried, with the work done and the total (see {@link loopSearchWork}) */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Multiply-adds the width search costs: channels x rows x the sum of the widths tried. It grows
 * with the square of the widest width, so a long input searched over all widths is hours of work
 * (100,000 columns: about 2e12); callers bound it with `maxWidth`.
 */
export function loopSearchWork(channels: number, rows: number, minWidth: number, maxWidth: number): number {
  if (maxWidth < minWidth) return 0;
  return channels * rows * ((maxWidth * (maxWidth + 1)) / 2 - ((minWidth - 1) * minWidth) / 2);
}

export interface LoopResult {
  /** the cycle width n = b - a, columns */
  readonly width: number;
  /** loop start column (inclusive), after the nudge */
  readonly a: number;
  /** loop end column (exclusive), a + width, after the nudge */
  readonly b: number;
  /** the shift actually applied to a and b (the requested nudge, clamped to the array) */
  readonly nudge: number;
  /** Pearson correlation of excerpts 0:n and n:2n at the chosen width, -1..1 */
  readonly correlation: number;
  /** Pearson correlation of the matched column pair (j, j + n) before the nudge, -1..1 */
  readonly columnCorrelation: number;
  /** the first width scored: scores[i] belongs to width minWidth + i */
  readonly minWidth: number;
  /** excerpt correlation for every width tried */
  readonly scores: Float32Array;
}

/**
 * Pearson correlation from the five sums over N pairs; 0 where either side is constant (its
 * correlation is undefined, and a flat excerpt is no evidence of a loop).
 */
function pearson(count: number, sx: number, sy: number, qx: number, qy: number, sxy: number): number {
  const vx = qx - (sx * sx) / count;
  const vy = qy - (sy * sy) / count;
  // Relative thresholds: cancellation leaves tiny non-zero variances for constant data.
  if (!(vx > 1e-12 * qx) || !(vy > 1e-12 * qy)) return 0;
  const r = (sxy - (sx * sy) / count) / Math.sqrt(vx * vy);
  return Math.max(-1, Math.min(1, r));
}

function requireInt(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`findLoop: ${name} ${v} must be a whole number in ${min}..${max}`);
  return v;
}

/**
 * Find a seamless loop by correlation (the method of "Creating Synesthetic Sound-Pictures with
 * Generative AI", griffonage.com; see docs/loop.md):
 * 1. for every cycle width n in minWidth..maxWidth, the Pearson correlation of excerpts
 *    0:n and n:2n over all channels, rows and columns; the best n is the loop width (the smallest
 *    n within `tolerance` of the best, see DEFAULT_TIE_TOLERANCE);
 * 2. inside that pair, the best-correlated pair of corresponding columns j and n + j (Pearson over
 *    channels x rows) gives the loop points a = j, b = j + n;
 * 3. a and b are then shifted together by `nudge`.
 *
 * Cost: per-column sums and sums of squares are computed once (O(K·W), K = channels·rows,
 * W = columns), so width n only needs its cross term, O(K·n); the whole search is
 * O(K·(maxWidth² − minWidth²) / 2), about 5·10⁷ multiply-adds for a 512×512 RGB image searched
 * over every n from 1 to 256.
 *
 * @param arr - the image or latent, time along the columns
 * @throws RangeError for widths outside 1..floor(columns / 2) or non-integer options.
 * @example
 * const { a, b } = findLoop(columnArrayFromImage(readPng('og_beat.png')), { minWidth: 150 });
 */
export function findLoop(arr: ColumnArray, options: LoopFinderOptions = {}): LoopResult {
  const { columns: W, data } = arr;
  const K = arr.channels * arr.rows;
  const half = Math.floor(W / 2);
  if (half < 1) throw new RangeError(`findLoop: ${W} column(s) cannot hold two cycles`);
  let lo: number;
  let hi: number;
  if (options.width !== undefined) {
    lo = hi = requireInt('width', options.width, 1, half);
  } else {
    lo = requireInt('minWidth', options.minWidth ?? IMAGE_MIN_WIDTH, 1, half);
    hi = requireInt('maxWidth', Math.min(options.maxWidth ?? half, half), lo, half);
  }
  const nudge = requireInt('nudge', options.nudge ?? 0, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const tolerance = options.tolerance ?? DEFAULT_TIE_TOLERANCE;
  if (!(tolerance >= 0)) throw new RangeError(`findLoop: tolerance ${tolerance} must be >= 0`);

  const colSum = new Float64Array(W);
  const colSq = new Float64Array(W);
  for (let k = 0; k < K; k++) {
    for (let x = 0, p = k * W; x < W; x++, p++) {
      const v = data[p]!;
      colSum[x] += v;
      colSq[x] += v * v;
    }
  }
  const preSum = new Float64Array(W + 1);
  const preSq = new Float64Array(W + 1);
  for (let x = 0; x < W; x++) {
    preSum[x + 1] = preSum[x]! + colSum[x]!;
    preSq[x + 1] = preSq[x]! + colSq[x]!;
  }

  const exact = new Float64Array(hi - lo + 1);
  let best = -Infinity;
  const total = loopSearchWork(arr.channels, arr.rows, lo, hi);
  let done = 0;
  for (let n = lo; n <= hi; n++) {
    let cross = 0;
    // Row-major: both excerpts of one row are contiguous, so this streams through memory.
    for (let k = 0; k < K; k++) {
      const base = k * W;
      let acc = 0;
      for (let j = base, end = base + n; j < end; j++) acc += data[j]! * data[j + n]!;
      cross += acc;
    }
    const score = pearson(K * n, preSum[n]!, preSum[2 * n]! - preSum[n]!, preSq[n]!, preSq[2 * n]! - preSq[n]!, cross);
    exact[n - lo] = score;
    best = Math.max(best, score);
    done += K * n;
    options.onProgress?.(done, total);
  }
  let width = lo;
  while (exact[width - lo]! < best - tolerance) width++;

  const cross = new Float64Array(width);
  for (let k = 0; k < K; k++) {
    const base = k * W;
    for (let j = 0; j < width; j++) cross[j] += data[base + j]! * data[base + j + width]!;
  }
  let j0 = 0;
  let columnCorrelation = -Infinity;
  for (let j = 0; j < width; j++) {
    const r = pearson(K, colSum[j]!, colSum[j + width]!, colSq[j]!, colSq[j + width]!, cross[j]!);
    if (r > columnCorrelation) {
      columnCorrelation = r;
      j0 = j;
    }
  }

  const shift = Math.max(-j0, Math.min(W - (j0 + width), nudge));
  return {
    width, a: j0 + shift, b: j0 + width + shift, nudge: shift,
    correlation: exact[width - lo]!, columnCorrelation, minWidth: lo, scores: Float32Array.from(exact),
  };
}

/**
 * The write-up's way to audition a loop: columns 0:b, then a:b again, then a:end, so the join
 * b -> a is heard twice in context.
 * @example demoStrip(arr, 26, 440).columns // 440 + 414 + (arr.columns - 26)
 */
export function demoStrip(arr: ColumnArray, a: number, b: number): ColumnArray {
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > arr.columns || a >= b) {
    throw new RangeError(`demoStrip: loop ${a}:${b} is not a non-empty range within 0:${arr.columns}`);
  }
  return joinColumnRanges(arr, [[0, b], [a, b], [a, arr.columns]]);
}
