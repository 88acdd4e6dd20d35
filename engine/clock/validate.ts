/** Argument checks shared by the clock classes; each throws a RangeError naming the bad value. */

/** Lowest tempo the clock accepts (BPM). */
export const MIN_BPM = 20;
/** Highest tempo the clock accepts (BPM). */
export const MAX_BPM = 300;
/** Most beats a bar may have. */
export const MAX_BEATS_PER_BAR = 16;

/**
 * Throw unless `value` is a finite number.
 * @param name what the value is, for the message
 * @param value the number to check
 * @example assertFinite('frame', 44100);
 */
export function assertFinite(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/**
 * Throw unless `bpm` is a tempo within `min..max` (inclusive, BPM).
 * @example assertBpm('bpm', 128);
 */
export function assertBpm(name: string, bpm: number, min = MIN_BPM, max = MAX_BPM): void {
  assertFinite(name, bpm);
  if (bpm < min || bpm > max) throw new RangeError(`${name} must be within ${min}..${max} BPM, got ${bpm}`);
}

/**
 * Throw unless `n` is an integer number of beats per bar within 1..16.
 * @example assertBeatsPerBar(4);
 */
export function assertBeatsPerBar(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BEATS_PER_BAR) {
    throw new RangeError(`beatsPerBar must be an integer within 1..${MAX_BEATS_PER_BAR}, got ${n}`);
  }
}
