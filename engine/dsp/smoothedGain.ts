/**
 * Click-free gain stage for interleaved audio: a new target is reached by a linear ramp of
 * fixed duration, so a fader move never steps the waveform (no zipper noise).
 *
 * Realtime contract: `process()` allocates nothing and calls no closures. Once settled it is
 * exact: at gain 1 the buffer is left untouched (bit-identical), at gain 0 it is filled with +0.
 */

/** Time in seconds. */
type Seconds = number;
/** Samples per second (Hz). */
type Hertz = number;
/** Linear amplitude in 0..1. */
type NormalRange = number;

/** Resolved configuration of a {@link SmoothedGain}. Plain data, JSON round-trippable. */
export interface SmoothedGainOptions {
  /** Sample rate of the audio given to `process()`, Hz (finite, > 0). */
  readonly sampleRate: Hertz;
  /** Duration of every ramp to a new target, seconds (finite, >= 0; 0 = jump at once). Default 0.005. */
  readonly rampSeconds: Seconds;
  /** Gain before the first `setTarget()`, linear amplitude 0..1. Default 1. */
  readonly initial: NormalRange;
}

/** Constructor argument: `sampleRate` is required, everything else defaults ({@link SmoothedGain.defaults}). */
export type SmoothedGainInit = Partial<SmoothedGainOptions> & Pick<SmoothedGainOptions, 'sampleRate'>;

/**
 * Linear-ramp gain, applied in place to interleaved `Float32Array` audio.
 *
 * A call to `setTarget()` starts a ramp from the gain in effect now to the new target that
 * lasts `rampSeconds` (rounded to whole frames). The ramp begins with the first frame of the
 * next `process()` call, and that frame is already changed: the last ramp frame is exactly
 * the target. A new target in the middle of a ramp starts a fresh ramp from where it was.
 *
 * @example
 * ```ts
 * const gain = new SmoothedGain({ sampleRate: 44100 });
 * const chunk = new Float32Array(2 * 512).fill(0.8); // stereo, 512 frames
 * gain.setTarget(0.5);
 * gain.process(chunk, 512, 2);
 * // chunk[2 * 220] === Math.fround(0.4): the 5 ms ramp is 221 frames long; gain.settled === true
 * ```
 */
export class SmoothedGain {
  /** Default options (everything except the required `sampleRate`). */
  static defaults(): Omit<SmoothedGainOptions, 'sampleRate'> {
    return { rampSeconds: 0.005, initial: 1 };
  }

  /** The resolved, frozen configuration. */
  readonly config: Readonly<SmoothedGainOptions>;

  /** Ramp length in frames (0 = jump). */
  private readonly rampFrames: number;
  private current: number;
  private goal: number;
  /** Gain at the start of the current ramp. */
  private from: number;
  /** Frames of the current ramp already applied; the ramp is over when it equals `rampFrames`. */
  private position: number;

  /**
   * @param options `sampleRate` (Hz, required), `rampSeconds` (s, default 0.005), `initial` (0..1, default 1).
   * @throws RangeError naming the bad value when an option is out of range.
   */
  constructor(options: SmoothedGainInit) {
    const config = { ...SmoothedGain.defaults(), ...options };
    if (!Number.isFinite(config.sampleRate) || config.sampleRate <= 0) {
      throw new RangeError(`SmoothedGain: sampleRate must be a positive number of Hz, got ${config.sampleRate}`);
    }
    if (!Number.isFinite(config.rampSeconds) || config.rampSeconds < 0) {
      throw new RangeError(`SmoothedGain: rampSeconds must be >= 0 seconds, got ${config.rampSeconds}`);
    }
    if (!(config.initial >= 0 && config.initial <= 1)) {
      throw new RangeError(`SmoothedGain: initial must be a linear gain in 0..1, got ${config.initial}`);
    }
    this.config = Object.freeze(config);
    this.rampFrames = Math.round(config.rampSeconds * config.sampleRate);
    this.current = config.initial;
    this.goal = config.initial;
    this.from = config.initial;
    this.position = this.rampFrames;
  }

  /**
   * Set the gain to ramp to.
   * @param value linear amplitude, clamped to 0..1; NaN is ignored (the current target stays).
   */
  setTarget(value: NormalRange): void {
    if (Number.isNaN(value)) return;
    const goal = value < 0 ? 0 : value > 1 ? 1 : value;
    if (goal === this.goal) return;
    this.goal = goal;
    if (this.rampFrames === 0) {
      this.current = goal;
      return;
    }
    this.from = this.current;
    this.position = 0;
  }

  /** Gain applied to the most recent frame, linear amplitude 0..1. */
  get value(): NormalRange {
    return this.current;
  }

  /** Gain being ramped to (the last accepted `setTarget()`), linear amplitude 0..1. */
  get target(): NormalRange {
    return this.goal;
  }

  /** True once the ramp is over and `value === target`. */
  get settled(): boolean {
    return this.position === this.rampFrames;
  }

  /**
   * Apply the gain in place.
   * @param interleaved audio, frame-major: sample `c` of frame `f` at `f * channels + c`.
   * @param frames number of frames to process (integer >= 0; `frames * channels <= interleaved.length`).
   * @param channels samples per frame (integer >= 1).
   * @throws RangeError when `frames`/`channels` do not fit `interleaved` (a caller bug, not a show-time condition).
   */
  process(interleaved: Float32Array, frames: number, channels: number): void {
    if (!(frames >= 0 && channels >= 1 && frames * channels <= interleaved.length)) {
      throw new RangeError(
        `SmoothedGain.process: ${frames} frames x ${channels} channels do not fit a buffer of ${interleaved.length} samples`,
      );
    }
    let frame = 0;
    if (this.position < this.rampFrames) {
      const rampEnd = Math.min(frames, this.rampFrames - this.position);
      const delta = this.goal - this.from;
      const perFrame = 1 / this.rampFrames;
      let index = 0;
      for (; frame < rampEnd; frame++) {
        this.position++;
        const gain = this.position === this.rampFrames ? this.goal : this.from + delta * (this.position * perFrame);
        for (let c = 0; c < channels; c++, index++) interleaved[index] *= gain;
        this.current = gain;
      }
    }
    if (frame === frames) return;
    const gain = this.current;
    if (gain === 1) return;
    if (gain === 0) {
      interleaved.fill(0, frame * channels, frames * channels);
      return;
    }
    for (let index = frame * channels, end = frames * channels; index < end; index++) interleaved[index] *= gain;
  }
}
