import { MelAnalyzer } from '../dsp/melSpectrogram.js';
import type { RgbImage } from '../io/rgbImage.js';
import { pixelOf } from './image.js';
import { DEFAULT_SPECTROGRAM_PARAMS, type SpectrogramParams, frameSizes } from './params.js';

/** The auto level's lowest maximum: about 50 dB below a full-scale sine, so silence stays white. */
export const DEFAULT_LEVEL_FLOOR = 1e5;

/** Riffusion feeds int16 values to its STFT; float samples are scaled to that range (as MelAnalyzer does). */
const SAMPLE_SCALE = 32768;

export interface StreamingSpectrogramOptions {
  /** the image format (default Riffusion's: 44.1 kHz, hop 10 ms, 512 mel rows, 0-10 kHz) */
  readonly params?: SpectrogramParams;
  /**
   * The mel magnitude shown black. A number: fixed, like an offline image normalised by that
   * maximum (Riffusion's own read-back scale is 30e6). `'auto'` (default): the loudest column of the
   * last `levelColumns` columns, so a quiet input fills the picture as an offline image of the same
   * stretch would, but never below `levelFloor`, so silence stays white.
   */
  readonly level?: number | 'auto';
  /** auto level: how many columns the running maximum covers (default 512, one Riffusion picture: 5.12 s) */
  readonly levelColumns?: number;
  /** auto level: the lowest maximum (default 1e5: about 50 dB below a full-scale sine) */
  readonly levelFloor?: number;
  /** columns kept for reading back (default 1024: 10.24 s) */
  readonly capacity?: number;
}

/**
 * Audio in, Riffusion spectrogram columns out, continuously: the same STFT, mel bank and pixel
 * mapping as `audio-to-image` (MelAnalyzer, pixelOf), one column per hop (100 per second at
 * 44.1 kHz), so the columns of a stream are the columns of the offline image of the same audio.
 *
 * Column t is centred on sample t * hop, as torch.stft(center=True) frames it: it is complete once
 * half a window (50 ms) after its centre has arrived. The first columns reflect the start of the
 * stream as the offline analysis does; a stream has no end, so the offline image's last columns
 * (reflected at the end) have no streamed counterpart.
 *
 * Pure and allocation-free after construction: samples go into a ring, columns into a ring of
 * pixel columns (column-major, row 0 = the highest mel bin, as in the image).
 *
 * @example
 * const s = new StreamingSpectrogram({ level: 'auto' });
 * s.push(interleavedStereo, 2);          // any chunk size
 * const column = new Uint8Array(s.height);
 * if (s.columnCount > 0) s.copyColumns(s.columnCount - 1, 1, column);
 */
export class StreamingSpectrogram {
  readonly params: SpectrogramParams;
  /** pixel rows per column (mel bins) */
  readonly height: number;
  /** columns kept for reading back */
  readonly capacity: number;
  /** samples between column centres */
  readonly hop: number;
  private readonly analyzer: MelAnalyzer;
  private readonly winLength: number;
  private readonly half: number;
  private readonly samples: Float32Array;
  private readonly sampleMask: number;
  private readonly frame: Float64Array;
  private readonly mel: Float64Array;
  private readonly pixels: Uint8Array;
  private readonly fixedLevel: number | undefined;
  private readonly levelFloor: number;
  private readonly maxima: Float64Array;
  private received = 0;
  private produced = 0;
  private currentLevel = 0;
  private lastPeak = 0;

  constructor(options: StreamingSpectrogramOptions = {}) {
    this.params = options.params ?? DEFAULT_SPECTROGRAM_PARAMS;
    const { hopLength, winLength } = frameSizes(this.params);
    this.analyzer = new MelAnalyzer(this.params);
    this.hop = hopLength;
    this.winLength = winLength;
    this.half = winLength >> 1;
    this.height = this.params.numFrequencies;
    this.capacity = options.capacity ?? 1024;
    if (!(Number.isInteger(this.capacity) && this.capacity >= 1)) throw new RangeError(`capacity must be a whole number of columns >= 1, got ${this.capacity}`);
    // a ring large enough for one window plus one hop, whatever the chunk size (columns are
    // computed as soon as their samples are in, in the middle of a push if need be)
    let size = 1;
    while (size < 2 * (winLength + hopLength)) size *= 2;
    this.samples = new Float32Array(size);
    this.sampleMask = size - 1;
    this.frame = new Float64Array(this.analyzer.frameLength);
    this.mel = new Float64Array(this.height);
    this.pixels = new Uint8Array(this.capacity * this.height);
    const level = options.level ?? 'auto';
    if (level !== 'auto' && !(level > 0)) throw new RangeError(`level must be 'auto' or a magnitude > 0, got ${level}`);
    this.fixedLevel = level === 'auto' ? undefined : level;
    this.levelFloor = options.levelFloor ?? DEFAULT_LEVEL_FLOOR;
    const levelColumns = options.levelColumns ?? 512;
    if (!(Number.isInteger(levelColumns) && levelColumns >= 1)) throw new RangeError(`levelColumns must be a whole number >= 1, got ${levelColumns}`);
    this.maxima = new Float64Array(levelColumns);
  }

  /** Columns produced since the start (the next column's index). */
  get columnCount(): number {
    return this.produced;
  }

  /** Samples received since the start (per channel). */
  get sampleCount(): number {
    return this.received;
  }

  /** The magnitude the last column was mapped with (shown black). */
  get level(): number {
    return this.currentLevel;
  }

  /** The loudest mel magnitude of the last column (0: digital silence). */
  get lastColumnPeak(): number {
    return this.lastPeak;
  }

  /** Columns per second (100 at Riffusion's 44.1 kHz and 10 ms). */
  get columnsPerSecond(): number {
    return this.params.sampleRate / this.hop;
  }

  /**
   * Seconds from a column's centre to the moment it can be computed: half a window (50 ms).
   * Input latency comes on top.
   */
  get analysisDelay(): number {
    return (this.winLength - this.half) / this.params.sampleRate;
  }

  /**
   * Adds audio: `frames` frames of `channels` interleaved channels (mixed to mono by their mean,
   * as audio-to-image's mono image), from `data[offset]`. Returns how many columns it completed.
   */
  push(data: Float32Array, channels = 1, frames = Math.floor(data.length / channels), offset = 0): number {
    const before = this.produced;
    const mask = this.sampleMask, ring = this.samples, scale = 1 / channels;
    let i = 0;
    while (i < frames) {
      const needed = this.produced * this.hop - this.half + this.winLength;
      const take = Math.min(frames - i, Math.max(0, needed - this.received));
      for (let f = 0; f < take; f++) {
        let sum = 0;
        const base = offset + (i + f) * channels;
        for (let c = 0; c < channels; c++) sum += data[base + c]!;
        ring[(this.received + f) & mask] = sum * scale;
      }
      this.received += take;
      i += take;
      while (this.received >= this.produced * this.hop - this.half + this.winLength) this.computeColumn();
    }
    return this.produced - before;
  }

  /**
   * Copies `count` columns from column index `first` (each `height` bytes, row 0 = highest mel)
   * into `out` from `outOffset`. Columns older than `capacity` are gone.
   * @throws RangeError when a column is not (or no longer) available
   */
  copyColumns(first: number, count: number, out: Uint8Array, outOffset = 0): void {
    if (first < this.produced - this.capacity || first + count > this.produced || first < 0 || count < 0) {
      throw new RangeError(`columns ${first}..${first + count - 1} are not available (have ${Math.max(0, this.produced - this.capacity)}..${this.produced - 1})`);
    }
    const h = this.height;
    for (let c = 0; c < count; c++) {
      const slot = (first + c) % this.capacity;
      out.set(this.pixels.subarray(slot * h, slot * h + h), outOffset + c * h);
    }
  }

  /**
   * The last `width` columns as a grey sound-picture (time left to right, low frequencies at the
   * bottom), or undefined while fewer have been heard. Allocates the picture.
   */
  picture(width = 512): RgbImage | undefined {
    if (width > this.capacity) throw new RangeError(`a picture of ${width} columns needs capacity >= ${width} (have ${this.capacity})`);
    if (this.produced < width) return undefined;
    const h = this.height, first = this.produced - width;
    const rgb = new Uint8Array(width * h * 3);
    for (let x = 0; x < width; x++) {
      const slot = (first + x) % this.capacity;
      for (let row = 0; row < h; row++) {
        const p = this.pixels[slot * h + row]!;
        const o = (row * width + x) * 3;
        rgb[o] = rgb[o + 1] = rgb[o + 2] = p;
      }
    }
    return { width, height: h, rgb };
  }

  private computeColumn(): void {
    const t = this.produced;
    const w = this.analyzer.window, frame = this.frame, ring = this.samples, mask = this.sampleMask;
    const first = t * this.hop - this.half;
    for (let m = 0; m < this.winLength; m++) {
      // torch's reflect padding at the start of the stream (edge sample not repeated)
      const i = first + m;
      frame[m] = w[m]! * ring[(i < 0 ? -i : i) & mask]! * SAMPLE_SCALE;
    }
    this.analyzer.melOfFrame(frame, this.mel);
    let colMax = 0;
    for (let m = 0; m < this.height; m++) if (this.mel[m]! > colMax) colMax = this.mel[m]!;
    this.lastPeak = colMax;
    const level = this.levelFor(t, colMax);
    this.currentLevel = level;
    const power = this.params.powerForImage, h = this.height;
    const base = (t % this.capacity) * h;
    for (let m = 0; m < h; m++) this.pixels[base + h - 1 - m] = pixelOf(this.mel[m]!, level, power);
    this.produced++;
  }

  private levelFor(t: number, colMax: number): number {
    if (this.fixedLevel !== undefined) return this.fixedLevel;
    const maxima = this.maxima;
    maxima[t % maxima.length] = colMax;
    let max = this.levelFloor;
    for (let k = 0; k < maxima.length; k++) if (maxima[k]! > max) max = maxima[k]!;
    return max;
  }
}
