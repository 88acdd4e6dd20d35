import { INPUT_LIMITS, rangeProblem } from '../io/inputLimits.js';

/**
 * Spectrogram parameters, Riffusion-compatible (riffusion-hobby `spectrogram_params.py`).
 * Durations are in milliseconds because that is how Riffusion's EXIF tags store them;
 * sample counts derive from them by truncation, as Riffusion does (`int(ms / 1000 * sr)`).
 */
export interface SpectrogramParams {
  /** Hz */
  readonly sampleRate: number;
  readonly stereo: boolean;
  /** hop, ms (10 ms = 441 samples) */
  readonly stepSizeMs: number;
  /** analysis window, ms (100 ms = 4410 samples) */
  readonly windowDurationMs: number;
  /** FFT frame, ms (400 ms = 17640 samples) */
  readonly paddedDurationMs: number;
  /** mel bins = image height */
  readonly numFrequencies: number;
  /** Hz */
  readonly minFrequency: number;
  /** Hz */
  readonly maxFrequency: number;
  /** image pixel = 255 - 255 * (S / max) ^ powerForImage */
  readonly powerForImage: number;
}

export const DEFAULT_SPECTROGRAM_PARAMS: SpectrogramParams = Object.freeze({
  sampleRate: 44100,
  stereo: false,
  stepSizeMs: 10,
  windowDurationMs: 100,
  paddedDurationMs: 400,
  numFrequencies: 512,
  minFrequency: 0,
  maxFrequency: 10000,
  powerForImage: 0.25,
});

/** Sample counts derived from the millisecond parameters. */
export interface FrameSizes {
  readonly hopLength: number;
  readonly winLength: number;
  readonly nFft: number;
}

export function frameSizes(p: SpectrogramParams): FrameSizes {
  const samples = (ms: number) => Math.trunc((ms / 1000) * p.sampleRate);
  return { hopLength: samples(p.stepSizeMs), winLength: samples(p.windowDurationMs), nFft: samples(p.paddedDurationMs) };
}

export function resolveParams(overrides: Partial<SpectrogramParams> = {}): SpectrogramParams {
  return Object.freeze({ ...DEFAULT_SPECTROGRAM_PARAMS, ...overrides });
}

/**
 * FFT size of phase reconstruction: the window length when the padded frame is a whole multiple of
 * it (Riffusion: 4410 of 17640, see MelInverter), otherwise the padded frame itself.
 */
export function reconstructionFftSize(p: SpectrogramParams): number {
  const { winLength, nFft } = frameSizes(p);
  return nFft % winLength === 0 ? winLength : nFft;
}

/**
 * The first parameter outside the sizes Synesthete will allocate for (sample rate, mel bins, FFT
 * frame), as a phrase naming it, or `undefined`. Parameters come from files (EXIF) as well as
 * options, so this runs before any buffer is sized from them.
 */
export function paramsLimitProblem(p: SpectrogramParams): string | undefined {
  const L = INPUT_LIMITS;
  const rate = rangeProblem(p.sampleRate, L.minSampleRate, L.maxSampleRate, true);
  if (rate) return `sample rate ${rate}`;
  const mels = rangeProblem(p.numFrequencies, 1, L.mels, true);
  if (mels) return `mel bin count ${mels}`;
  for (const key of ['stepSizeMs', 'windowDurationMs', 'paddedDurationMs'] as const) {
    const ms = rangeProblem(p[key], Number.MIN_VALUE, Infinity);
    if (ms) return `${key} ${ms}`;
  }
  const sizes = frameSizes(p);
  const longest = Math.max(sizes.nFft, sizes.winLength, sizes.hopLength);
  if (longest > L.fftSamples) {
    return `frame of ${longest} samples (step ${p.stepSizeMs} ms, window ${p.windowDurationMs} ms, padded ${p.paddedDurationMs} ms at ${p.sampleRate} Hz) is more than the ${L.fftSamples} allowed`;
  }
  // The mixed-radix FFT has fast butterflies for 2, 3, 4, 5 and 7 and falls back to an O(p^2)
  // transform for a larger prime factor p: 421 ms at 44.1 kHz (18566 = 2 x 9283) took 95 s for 24 columns.
  for (const size of new Set([sizes.nFft, reconstructionFftSize(p)])) {
    const prime = largestPrimeFactor(size);
    if (prime > L.fftPrimeFactor) {
      return `FFT frame of ${size} samples (${p.paddedDurationMs} ms padded, ${p.windowDurationMs} ms window at ${p.sampleRate} Hz) has the prime factor ${prime}, `
        + `which makes its FFT hundreds of times slower; choose durations whose sample counts have only small factors (Riffusion's 400 ms and 100 ms: 17640 and 4410)`;
    }
  }
  // the mel filter bank and its inverse hold mel bins x FFT bins
  const melCells = p.numFrequencies * (Math.floor(sizes.nFft / 2) + 1);
  if (melCells > L.melCells) return `${p.numFrequencies} mel bins x ${Math.floor(sizes.nFft / 2) + 1} FFT bins is ${melCells} filter cells, more than the ${L.melCells} allowed`;
  return undefined;
}

/** The largest prime factor of a positive whole number (1 for 1). */
function largestPrimeFactor(n: number): number {
  let largest = 1;
  for (let p = 2; p * p <= n; p++) {
    while (n % p === 0) {
      largest = p;
      n /= p;
    }
  }
  return n > 1 ? n : largest;
}
