/**
 * The "instant" controls of live playback: effects that act on audio already rendered, so a
 * knob move is heard at the next output chunk instead of waiting for the next generated
 * segment. Order: DJ filter, then gain (a gain ramp never changes what the filter sees).
 */
import { DjFilter } from '../../dsp/djFilter.js';
import { SmoothedGain } from '../../dsp/smoothedGain.js';

/** Samples per second (Hz). */
type Hertz = number;

/** Resolved configuration of an {@link InstantChain}. Plain data, JSON round-trippable. */
export interface InstantChainOptions {
  /** Sample rate of the audio given to `process()`, Hz (finite, > 0). */
  readonly sampleRate: Hertz;
  /** Samples per frame of the interleaved audio (integer 1..64). Default 2. */
  readonly channels: number;
}

/** Constructor argument: `sampleRate` is required, `channels` defaults to 2. */
export type InstantChainInit = Partial<InstantChainOptions> & Pick<InstantChainOptions, 'sampleRate'>;

/** Instant control values; an absent field is left as it is. */
export interface InstantControls {
  /** Output gain, linear amplitude 0..1 (clamped; NaN ignored). Ramped over 5 ms. */
  readonly gain?: number;
  /** DJ filter knob, -1..1 (clamped; NaN ignored): -1 low-pass 60 Hz, 0 bypass, +1 high-pass 8 kHz. Glided over ~20 ms. */
  readonly filter?: number;
}

/** Targets of the instant controls (what was last set, not the glide in progress). */
export interface InstantState {
  /** Gain target, linear amplitude 0..1. */
  readonly gain: number;
  /** Filter knob target, -1..1. */
  readonly filter: number;
}

/**
 * DJ filter followed by a smoothed gain, applied in place to interleaved chunks.
 *
 * Latency: controls set between two `process()` calls change the next chunk from its first
 * sample on (both stages begin their glide with that sample), so the control-to-sound delay
 * is the output buffering downstream, not this chain. At the defaults (gain 1, filter 0) the
 * chain is bit-transparent.
 *
 * @example
 * ```ts
 * const chain = new InstantChain({ sampleRate: 44100 });
 * chain.set({ gain: 0.5, filter: -0.3 });
 * const chunk = new Float32Array(2 * 512);
 * chain.process(chunk, 512); // stereo, 512 frames, in place
 * chain.state; // { gain: 0.5, filter: -0.3 }
 * ```
 */
export class InstantChain {
  /** Default options (everything except the required `sampleRate`). */
  static defaults(): Omit<InstantChainOptions, 'sampleRate'> {
    return { channels: 2 };
  }

  /** The resolved, frozen configuration. */
  readonly config: Readonly<InstantChainOptions>;

  private readonly filter: DjFilter;
  private readonly gain: SmoothedGain;

  /**
   * @param options `sampleRate` (Hz, required), `channels` (default 2).
   * @throws RangeError naming the bad value when an option is out of range.
   */
  constructor(options: InstantChainInit) {
    const config = { ...InstantChain.defaults(), ...options };
    if (!Number.isInteger(config.channels) || config.channels < 1 || config.channels > 64) {
      throw new RangeError(`InstantChain: channels must be an integer in 1..64, got ${config.channels}`);
    }
    this.config = Object.freeze(config);
    this.filter = new DjFilter({ sampleRate: config.sampleRate, maxChannels: config.channels });
    this.gain = new SmoothedGain({ sampleRate: config.sampleRate });
  }

  /**
   * Set any of the instant controls; the change is heard from the next processed frame.
   * @param controls `gain` 0..1 linear, `filter` knob -1..1; absent fields are unchanged.
   */
  set(controls: InstantControls): void {
    if (controls.gain !== undefined) this.gain.setTarget(controls.gain);
    if (controls.filter !== undefined) this.filter.setTarget(controls.filter);
  }

  /**
   * Process one chunk in place (no allocation).
   * @param interleaved audio, frame-major, `config.channels` samples per frame.
   * @param frames number of frames (integer >= 0; `frames * channels <= interleaved.length`).
   */
  process(interleaved: Float32Array, frames: number): void {
    this.filter.process(interleaved, frames, this.config.channels);
    this.gain.process(interleaved, frames, this.config.channels);
  }

  /** Current targets, as a new object (not for the audio callback's inner loop). */
  get state(): InstantState {
    return { gain: this.gain.target, filter: this.filter.target };
  }
}
