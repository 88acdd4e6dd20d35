/**
 * Unit aliases for the clock module (code-style principle 7). They are plain `number` aliases, so
 * callers pass numbers; the names document which unit a value carries.
 */

/** A position or length on the output timeline in sample frames (one frame = one sample per channel). */
export type Samples = number;
/** Time in seconds. */
export type Seconds = number;
/** A rate in hertz; for the clock, the sample rate in frames per second. */
export type Hertz = number;
/** Musical time in beats (quarter notes at the transport's tempo), possibly fractional. */
export type Beats = number;
/** Tempo in beats per minute. */
export type BPM = number;
