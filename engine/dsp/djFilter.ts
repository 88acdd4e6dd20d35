/**
 * One-knob DJ filter: resonant low-pass on the left half of the knob, resonant high-pass on
 * the right half, exact bypass in the middle.
 *
 * Filter: the linear trapezoidal ("topology-preserving transform", TPT) state-variable filter,
 * in the form of Andrew Simper, "Linear Trapezoidal Integrated SVF" (Cytomic technical paper
 * SvfLinearTrapOptimised2.pdf, 2013, section "Algorithm"), which is the TPT SVF of Vadim
 * Zavalishin, "The Art of VA Filter Design" (rev. 2.1.0, 2018), chapter 4 "State variable
 * filter", solved for the two trapezoidal integrator states. Its states are the capacitor
 * currents of the analogue prototype, so changing the cutoff between samples does not inject
 * energy: it stays stable and click-free under fast modulation, which the direct-form biquad
 * does not.
 *
 * Notation (variable ↔ Simper ↔ Zavalishin):
 * | here        | Simper        | Zavalishin                 | meaning                                   |
 * |-------------|---------------|----------------------------|-------------------------------------------|
 * | `g`         | g             | g                          | tan(π·fc/fs), prewarped integrator gain   |
 * | `k`         | k = 1/Q       | 2R                         | damping                                   |
 * | `a1 a2 a3`  | a1 a2 a3      | 1/(1+2Rg+g²) and products  | solved feedback coefficients              |
 * | `ic1 ic2`   | ic1eq ic2eq   | s1 s2 (integrator states)  | per-channel state                         |
 * | `v0`        | v0            | x                          | input sample                              |
 * | `v1`        | v1            | y_BP                       | band-pass output                          |
 * | `v2`        | v2            | y_LP                       | low-pass output                           |
 * | `v0-k·v1-v2`| high          | y_HP                       | high-pass output                          |
 *
 * Realtime contract: `process()` allocates nothing and calls no closures; all state is
 * preallocated in the constructor. The knob is smoothed per sample (one-pole), the dry/wet
 * mix follows it per sample, and the filter coefficients (one `tan` and two `exp`) are
 * recomputed every {@link COEFFICIENT_INTERVAL} frames while the knob moves.
 */

/** Time in seconds. */
type Seconds = number;
/** Frequency in hertz (also used for sample rates). */
type Hertz = number;
/** Knob position in -1..1: negative = low-pass, 0 = bypass, positive = high-pass. */
type Bipolar = number;

/** Frames between coefficient updates while the knob moves (≈ 0.36 ms at 44.1 kHz). */
const COEFFICIENT_INTERVAL = 16;
/** Knob distance from the target below which the smoother snaps onto it (≈ 0.06 % in cutoff). */
const SNAP = 1e-5;
/** Filter states below this magnitude are flushed to zero (keeps subnormals out of the loop). */
const FLUSH = 1e-30;

/**
 * The knob-to-filter mapping, frozen. Cutoffs sweep exponentially in |knob|:
 * low-pass `fc = lowPassFrom · (lowPassTo / lowPassFrom)^|knob|`, high-pass
 * `fc = highPassFrom · (highPassTo / highPassFrom)^|knob|`, resonance
 * `Q = qCentre · (qEnd / qCentre)^|knob|`, and the wet share is `min(1, |knob| / deadZone)`.
 */
export const DJ_FILTER_CURVE = Object.freeze({
  /** Low-pass cutoff at knob 0⁻, Hz (clamped to {@link MAX_CUTOFF_RATIO} · sampleRate). */
  lowPassFrom: 20_000,
  /** Low-pass cutoff at knob -1, Hz. */
  lowPassTo: 60,
  /** High-pass cutoff at knob 0⁺, Hz. */
  highPassFrom: 20,
  /** High-pass cutoff at knob +1, Hz. */
  highPassTo: 8_000,
  /** Resonance Q at the centre (a gentle bump: 0.707 would be flat). */
  qCentre: 0.9,
  /** Resonance Q at either end of the knob. */
  qEnd: 1.8,
  /** |knob| below which the output is crossfaded towards the dry input (fully dry at 0). */
  deadZone: 0.05,
});

/** Highest cutoff used, as a fraction of the sample rate (the prewarp tan(π·fc/fs) diverges at 0.5). */
export const MAX_CUTOFF_RATIO = 0.45;

/**
 * Cutoff frequency for a knob position (before the clamp to `MAX_CUTOFF_RATIO · sampleRate`).
 * @param knob -1..1 (clamped); 0 reports the low-pass end, 20 kHz, where the output is dry anyway.
 * @returns cutoff in Hz: 20 kHz → 60 Hz for knob 0 → -1, 20 Hz → 8 kHz for knob 0 → +1.
 * @example
 * ```ts
 * djFilterCutoff(-0.5); // ≈ 1095 Hz, the geometric mean of 20 kHz and 60 Hz
 * ```
 */
export function djFilterCutoff(knob: Bipolar): Hertz {
  const c = DJ_FILTER_CURVE;
  const a = Math.min(1, Math.abs(knob));
  return knob > 0 ? c.highPassFrom * (c.highPassTo / c.highPassFrom) ** a : c.lowPassFrom * (c.lowPassTo / c.lowPassFrom) ** a;
}

/**
 * Resonance for a knob position.
 * @param knob -1..1 (clamped).
 * @returns Q (dimensionless): 0.9 at the centre rising exponentially to 1.8 at either end.
 * @example
 * ```ts
 * djFilterResonance(1); // 1.8
 * ```
 */
export function djFilterResonance(knob: Bipolar): number {
  const c = DJ_FILTER_CURVE;
  return c.qCentre * (c.qEnd / c.qCentre) ** Math.min(1, Math.abs(knob));
}

/** Resolved configuration of a {@link DjFilter}. Plain data, JSON round-trippable. */
export interface DjFilterOptions {
  /** Sample rate of the audio given to `process()`, Hz (finite, > 0). */
  readonly sampleRate: Hertz;
  /** Time constant of the one-pole knob smoother, seconds (finite, >= 0; 0 = follow at once). Default 0.02. */
  readonly smoothingSeconds: Seconds;
  /** Most channels `process()` will be given (integer 1..64); state is preallocated for them. Default 8. */
  readonly maxChannels: number;
}

/** Constructor argument: `sampleRate` is required, everything else defaults ({@link DjFilter.defaults}). */
export type DjFilterInit = Partial<DjFilterOptions> & Pick<DjFilterOptions, 'sampleRate'>;

/**
 * The one-knob DJ filter, applied in place to interleaved `Float32Array` audio, one
 * independent filter state per channel.
 *
 * - knob < 0: resonant low-pass, cutoff 20 kHz (0⁻) → 60 Hz (-1), exponential.
 * - knob > 0: resonant high-pass, cutoff 20 Hz (0⁺) → 8 kHz (+1), exponential.
 * - knob = 0: bypass; once the smoothed knob has settled at 0 the buffer is left untouched
 *   (bit-identical). Within |knob| < 0.05 the output crossfades linearly to the dry input, so
 *   sweeping through the centre (where low-pass turns into high-pass) does not click.
 *
 * See the module comment for the filter reference (Simper's SVF / Zavalishin's TPT).
 *
 * @example
 * ```ts
 * const filter = new DjFilter({ sampleRate: 44100 });
 * const chunk = new Float32Array(2 * 512); // stereo, 512 frames
 * filter.setTarget(-0.5); // low-pass near 1.1 kHz, reached over ~20 ms
 * filter.process(chunk, 512, 2);
 * ```
 */
export class DjFilter {
  /** Default options (everything except the required `sampleRate`). */
  static defaults(): Omit<DjFilterOptions, 'sampleRate'> {
    return { smoothingSeconds: 0.02, maxChannels: 8 };
  }

  /** The resolved, frozen configuration. */
  readonly config: Readonly<DjFilterOptions>;

  /** One-pole smoothing coefficient per sample, 0 < alpha <= 1. */
  private readonly alpha: number;
  /** Highest cutoff used, Hz. */
  private readonly maxCutoff: Hertz;
  /** Integrator states per channel (Simper ic1eq, ic2eq). */
  private readonly ic1: Float64Array;
  private readonly ic2: Float64Array;
  /** Wet share per frame of the current coefficient block. */
  private readonly wet: Float64Array;

  private goal: Bipolar = 0;
  private current: Bipolar = 0;
  /** +1 high-pass, -1 low-pass, 0 none yet. */
  private mode = 0;
  /** Knob the coefficients below were computed for (NaN = none). */
  private coefficientKnob = Number.NaN;
  /** frames into the current coefficient block (blocks are aligned to frames processed, not to calls) */
  private blockPhase = 0;
  private a1 = 0;
  private a2 = 0;
  private a3 = 0;
  /** Output mix of v0, v1, v2: low-pass (0, 0, 1), high-pass (1, -k, -1). */
  private m0 = 0;
  private m1 = 0;
  private m2 = 0;

  /**
   * @param options `sampleRate` (Hz, required), `smoothingSeconds` (s, default 0.02), `maxChannels` (default 8).
   * @throws RangeError naming the bad value when an option is out of range.
   */
  constructor(options: DjFilterInit) {
    const config = { ...DjFilter.defaults(), ...options };
    if (!Number.isFinite(config.sampleRate) || config.sampleRate <= 0) {
      throw new RangeError(`DjFilter: sampleRate must be a positive number of Hz, got ${config.sampleRate}`);
    }
    if (!Number.isFinite(config.smoothingSeconds) || config.smoothingSeconds < 0) {
      throw new RangeError(`DjFilter: smoothingSeconds must be >= 0 seconds, got ${config.smoothingSeconds}`);
    }
    if (!Number.isInteger(config.maxChannels) || config.maxChannels < 1 || config.maxChannels > 64) {
      throw new RangeError(`DjFilter: maxChannels must be an integer in 1..64, got ${config.maxChannels}`);
    }
    this.config = Object.freeze(config);
    // exp(-1 / 0) = 0, so smoothingSeconds = 0 gives alpha = 1: the knob follows at once.
    this.alpha = 1 - Math.exp(-1 / (config.smoothingSeconds * config.sampleRate));
    this.maxCutoff = MAX_CUTOFF_RATIO * config.sampleRate;
    this.ic1 = new Float64Array(config.maxChannels);
    this.ic2 = new Float64Array(config.maxChannels);
    this.wet = new Float64Array(COEFFICIENT_INTERVAL);
  }

  /**
   * Set the knob position to glide to.
   * @param knob -1..1 (clamped): -1 low-pass at 60 Hz, 0 bypass, +1 high-pass at 8 kHz. NaN is ignored.
   */
  setTarget(knob: Bipolar): void {
    if (Number.isNaN(knob)) return;
    this.goal = knob < -1 ? -1 : knob > 1 ? 1 : knob;
  }

  /** Knob position being glided to (the last accepted `setTarget()`), -1..1. */
  get target(): Bipolar {
    return this.goal;
  }

  /** Smoothed knob position in effect at the most recent frame, -1..1. */
  get knob(): Bipolar {
    return this.current;
  }

  /** Forget the past: clear every channel's filter state and jump the smoothed knob to the target. */
  reset(): void {
    this.current = this.goal;
    this.ic1.fill(0);
    this.ic2.fill(0);
  }

  /**
   * Filter in place.
   * @param interleaved audio, frame-major: sample `c` of frame `f` at `f * channels + c`.
   * @param frames number of frames to process (integer >= 0; `frames * channels <= interleaved.length`).
   * @param channels samples per frame (integer 1..maxChannels).
   * @throws RangeError when `frames`/`channels` do not fit (a caller bug, not a show-time condition).
   */
  process(interleaved: Float32Array, frames: number, channels: number): void {
    if (!(frames >= 0 && channels >= 1 && channels <= this.ic1.length && frames * channels <= interleaved.length)) {
      throw new RangeError(
        `DjFilter.process: ${frames} frames x ${channels} channels do not fit a buffer of ${interleaved.length} samples ` +
          `(maxChannels ${this.ic1.length})`,
      );
    }
    const { alpha, wet } = this;
    const goal = this.goal;
    const deadZone = DJ_FILTER_CURVE.deadZone;
    // Blocks are aligned to this filter's own frame count, not to process() calls, so the output
    // does not depend on how the audio was cut into chunks (a rehearsal replays a show exactly).
    for (let start = 0; start < frames; ) {
      if (this.current === 0 && goal === 0) {
        // Settled bypass: leave the rest untouched and start from rest when the knob next moves.
        this.blockPhase = (this.blockPhase + frames - start) % COEFFICIENT_INTERVAL;
        this.clearState();
        return;
      }
      const n = Math.min(COEFFICIENT_INTERVAL - this.blockPhase, frames - start);
      // 1. Coefficients for the knob at the start of the block (from rest: the side it moves to).
      if (this.blockPhase === 0) {
        const at = this.current !== 0 ? this.current : Math.sign(goal) * 1e-6;
        if (at !== this.coefficientKnob) this.updateCoefficients(at);
      }
      // 2. Advance the knob smoother per frame; record the wet share of each frame.
      let knob = this.current;
      let fullyWet: boolean;
      if (knob === goal) {
        fullyWet = Math.abs(knob) >= deadZone;
        if (!fullyWet) wet.fill(Math.abs(knob) / deadZone, 0, n);
      } else {
        fullyWet = true;
        for (let i = 0; i < n; i++) {
          knob += (goal - knob) * alpha;
          if (Math.abs(goal - knob) < SNAP) knob = goal;
          const share = Math.abs(knob) / deadZone;
          if (share < 1) fullyWet = false;
          wet[i] = share < 1 ? share : 1;
        }
        this.current = knob;
      }
      // 3. Run each channel's SVF over the block (Simper 2013, "Algorithm").
      const { a1, a2, a3, m0, m1, m2 } = this;
      for (let c = 0; c < channels; c++) {
        let ic1 = this.ic1[c];
        let ic2 = this.ic2[c];
        for (let i = 0, index = start * channels + c; i < n; i++, index += channels) {
          const v0 = interleaved[index];
          const v3 = v0 - ic2;
          const v1 = a1 * ic1 + a2 * v3;
          const v2 = ic2 + a2 * ic1 + a3 * v3;
          ic1 = 2 * v1 - ic1;
          ic2 = 2 * v2 - ic2;
          const y = m0 * v0 + m1 * v1 + m2 * v2;
          interleaved[index] = fullyWet ? y : v0 + wet[i] * (y - v0);
        }
        // A non-finite input must not poison the state for the rest of the show.
        if (!Number.isFinite(ic1) || !Number.isFinite(ic2)) ic1 = ic2 = 0;
        this.ic1[c] = Math.abs(ic1) < FLUSH ? 0 : ic1;
        this.ic2[c] = Math.abs(ic2) < FLUSH ? 0 : ic2;
      }
      start += n;
      this.blockPhase = (this.blockPhase + n) % COEFFICIENT_INTERVAL;
    }
    if (this.current === 0 && goal === 0) this.clearState();
  }

  private clearState(): void {
    if (this.mode === 0) return;
    this.mode = 0;
    this.coefficientKnob = Number.NaN;
    this.ic1.fill(0);
    this.ic2.fill(0);
  }

  /** Coefficients for a knob position (knob ≠ 0). A change of side restarts the filter from rest. */
  private updateCoefficients(knob: Bipolar): void {
    const c = DJ_FILTER_CURVE;
    const mode = knob > 0 ? 1 : -1;
    if (mode !== this.mode) {
      // Low-pass and high-pass states mean different things, so the new side starts from rest.
      // Near the centre both filters are almost transparent (low-pass >= 15 kHz, high-pass
      // <= 27 Hz) and the output is mostly dry, so the restart does not click (see the
      // sweep test); from rest is also the exact state of a 20 Hz high-pass on DC-free audio.
      this.ic1.fill(0);
      this.ic2.fill(0);
      this.mode = mode;
    }
    const amount = Math.abs(knob);
    const cutoff =
      mode > 0
        ? c.highPassFrom * Math.exp(amount * Math.log(c.highPassTo / c.highPassFrom))
        : c.lowPassFrom * Math.exp(amount * Math.log(c.lowPassTo / c.lowPassFrom));
    const q = c.qCentre * Math.exp(amount * Math.log(c.qEnd / c.qCentre));
    const g = Math.tan((Math.PI * Math.min(cutoff, this.maxCutoff)) / this.config.sampleRate);
    const k = 1 / q;
    this.a1 = 1 / (1 + g * (g + k));
    this.a2 = g * this.a1;
    this.a3 = g * this.a2;
    if (mode > 0) {
      this.m0 = 1;
      this.m1 = -k;
      this.m2 = -1;
    } else {
      this.m0 = 0;
      this.m1 = 0;
      this.m2 = 1;
    }
    this.coefficientKnob = knob;
  }
}
