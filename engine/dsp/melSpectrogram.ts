import { type MelFilterBank, applyFilterBank, melFilterBank } from './melFilterBank.js';
import { RealFft } from './realFft.js';
import { hannWindow } from './window.js';
import { type SpectrogramParams, frameSizes } from '../spectrogram/params.js';

/** A mel-magnitude spectrogram: data[mel * numFrames + frame], mel 0 = lowest frequency. */
export interface MelSpectrogram {
  readonly numMels: number;
  readonly numFrames: number;
  readonly data: Float32Array;
}

/** Number of centred STFT frames for `numSamples` samples: 1 + floor(N / hop) (torch.stft, center=True). */
export function frameCount(numSamples: number, hopLength: number): number {
  return 1 + Math.floor(numSamples / hopLength);
}

/**
 * Audio -> mel magnitude, as Riffusion's `spectrogram_from_audio`: torch.stft (n_fft 17640, hop 441,
 * periodic Hann 4410 centred in the frame, center=True, reflect padding), |X|, then the HTK mel bank.
 * Samples are scaled by `sampleScale` (default 32768) because Riffusion feeds int16 values, so the
 * mel maxima (Riffusion's MAX_VALUE EXIF tag) come out on its scale.
 */
export class MelAnalyzer {
  readonly params: SpectrogramParams;
  readonly filterBank: MelFilterBank;
  private readonly fft: RealFft;
  /** periodic Hann, winLength samples: the analysis window */
  readonly window: Float64Array;
  /** FFT frame length (nFft): the windowed samples come first, zeros after */
  readonly frameLength: number;
  private readonly hop: number;
  private readonly frame: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly mag: Float64Array;

  constructor(params: SpectrogramParams) {
    const { hopLength, winLength, nFft } = frameSizes(params);
    this.params = params;
    this.hop = hopLength;
    this.fft = new RealFft(nFft);
    this.window = hannWindow(winLength);
    this.filterBank = melFilterBank(this.fft.bins, params.numFrequencies, params.minFrequency, params.maxFrequency, params.sampleRate);
    this.frameLength = nFft;
    this.frame = new Float64Array(nFft);
    this.re = new Float64Array(this.fft.bins);
    this.im = new Float64Array(this.fft.bins);
    this.mag = new Float64Array(this.fft.bins);
  }

  analyze(samples: Float32Array, sampleScale = 32768): MelSpectrogram {
    const numFrames = frameCount(samples.length, this.hop);
    const numMels = this.params.numFrequencies;
    const data = new Float32Array(numMels * numFrames);
    const out = new Float64Array(numMels);
    for (let t = 0; t < numFrames; t++) {
      this.analyzeFrame(samples, t, sampleScale);
      applyFilterBank(this.filterBank, this.mag, out);
      for (let m = 0; m < numMels; m++) data[m * numFrames + t] = out[m]!;
    }
    return { numMels, numFrames, data };
  }

  /** |X_t[k]| for frame t into this.mag. The window's zero padding only adds a linear phase, so it goes first. */
  private analyzeFrame(x: Float32Array, t: number, scale: number): void {
    const w = this.window, n = x.length, frame = this.frame;
    const first = t * this.hop - (w.length >> 1);
    for (let m = 0; m < w.length; m++) {
      frame[m] = w[m]! * reflectSample(x, first + m, n) * scale;
    }
    this.magnitudeOf(frame);
  }

  /**
   * The mel column of one frame: `frame` holds `frameLength` samples, the windowed ones first and
   * zeros after (as `analyze` builds them); writes `numFrequencies` magnitudes into `out`, mel 0 =
   * lowest. Allocation-free, for streaming analysis (StreamingSpectrogram).
   */
  melOfFrame(frame: Float64Array, out: Float64Array): void {
    this.magnitudeOf(frame);
    applyFilterBank(this.filterBank, this.mag, out);
  }

  private magnitudeOf(frame: Float64Array): void {
    this.fft.forward(frame, this.re, this.im);
    for (let k = 0; k < this.mag.length; k++) { const re = this.re[k]!, im = this.im[k]!; this.mag[k] = Math.sqrt(re * re + im * im); }
  }
}

/** torch's reflect padding (edge sample not repeated). */
function reflectSample(x: Float32Array, i: number, n: number): number {
  if (n === 1) return x[0]!;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return x[j]!;
}
