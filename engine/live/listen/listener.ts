import type { ListenEvent, ListenHealth, Stamp } from '../../../control/protocol/state.js';
import type { AudioInput, AudioInputStats } from '../../audio/audioInput.js';
import type { RgbImage } from '../../io/rgbImage.js';
import { DEFAULT_LEVEL_FLOOR, StreamingSpectrogram, type StreamingSpectrogramOptions } from '../../spectrogram/streamingSpectrogram.js';

/** A listen event before the engine stamps it with the output clock. */
export type ListenColumns = Omit<ListenEvent, keyof Stamp>;

export interface ListenerOptions {
  /** where the audio comes from (a sound-card input; a fake in tests) */
  readonly input: AudioInput;
  /** publishes a batch of columns (openShow stamps it and puts it on the show's event bus) */
  readonly publish: (columns: ListenColumns) => void;
  /** whether anyone listens: batches are not encoded while this says no (default: always) */
  readonly wanted?: () => boolean;
  /** columns per event: 4 = 25 events a second at 100 columns/s */
  readonly columnsPerEvent?: number;
  readonly spectrogram?: StreamingSpectrogramOptions;
  /**
   * Called once when the input has been silent (below the spectrogram's level floor) for
   * `silenceSeconds`, and again only after sound came back: a wrong input or a muted record out
   * is the first thing to check at a venue.
   */
  readonly onSilence?: (seconds: number) => void;
  /** default 10 */
  readonly silenceSeconds?: number;
}

/** Riffusion's picture width: the listened picture the sources use is the last 5.12 s. */
export const LISTEN_PICTURE_COLUMNS = 512;
/** a sample this close to full scale is taken as clipped (an int16 input's largest is 0.99997) */
const CLIPPING_PEAK = 0.999;
/** a batch never holds more than this (a stalled event loop catches up in several events) */
const MAX_COLUMNS_PER_EVENT = 64;

/**
 * Listen mode's core: audio from an input goes through a StreamingSpectrogram, and every few
 * columns become a `listen` event (the projector draws them live). The last 5.12 s are kept as a
 * sound-picture (`picture()`), which the imprint and diffusion sources use to steer generation by
 * what is being played. No model is needed for any of it.
 *
 * The input's callback does the analysis (100 FFTs of 17640 points a second: about 1 ms each on
 * the loaded test machine); nothing is allocated per chunk except the event's base64 text.
 *
 * @example
 * const listener = new Listener({ input: new PortAudioInput({ device: 'USB Audio' }), publish: (c) => bus.publish({ ...stampNow(), ...c }) });
 * await listener.start();            // UserError when the input cannot be opened
 * const heard = listener.picture();  // the last 5.12 s as a 512 x 512 sound-picture, once heard
 */
export class Listener {
  readonly spectrogram: StreamingSpectrogram;
  private readonly input: AudioInput;
  private readonly publish: (columns: ListenColumns) => void;
  private readonly wanted: () => boolean;
  private readonly perEvent: number;
  private readonly scratch: Uint8Array;
  /** the first column not yet published */
  private next = 0;
  private started = false;
  /** columns in a row below the level floor */
  private quietColumns = 0;
  /** the loudest sample since `health()` last read it */
  private peakSample = 0;
  private readonly onSilence: ((seconds: number) => void) | undefined;
  private readonly silenceColumns: number;
  private readonly levelFloor: number;

  constructor(options: ListenerOptions) {
    this.input = options.input;
    this.publish = options.publish;
    this.wanted = options.wanted ?? (() => true);
    this.perEvent = options.columnsPerEvent ?? 4;
    if (!(Number.isInteger(this.perEvent) && this.perEvent >= 1 && this.perEvent <= MAX_COLUMNS_PER_EVENT)) {
      throw new RangeError(`columnsPerEvent must be a whole number from 1 to ${MAX_COLUMNS_PER_EVENT}, got ${this.perEvent}`);
    }
    this.spectrogram = new StreamingSpectrogram({ capacity: 1024, ...options.spectrogram });
    this.levelFloor = options.spectrogram?.levelFloor ?? DEFAULT_LEVEL_FLOOR;
    this.scratch = new Uint8Array(MAX_COLUMNS_PER_EVENT * this.spectrogram.height);
    this.onSilence = options.onSilence;
    this.silenceColumns = Math.round((options.silenceSeconds ?? 10) * this.spectrogram.columnsPerSecond);
  }

  /** Seconds of audio heard since listening started. */
  get heardSeconds(): number {
    return this.spectrogram.sampleCount / this.spectrogram.params.sampleRate;
  }

  /** The input's running totals (frames, overflows, failures). */
  get stats(): Readonly<AudioInputStats> {
    return this.input.stats;
  }

  /** The input's device name. */
  get deviceName(): string {
    return this.input.deviceName;
  }

  /**
   * Opens the input and starts listening.
   * @throws UserError when the input cannot be opened, or runs at another rate than the format's
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('Listener: start() called twice');
    this.started = true;
    const rate = this.spectrogram.params.sampleRate;
    if (this.input.sampleRate !== rate) throw new RangeError(`the listen input runs at ${this.input.sampleRate} Hz; the spectrogram needs ${rate} Hz`);
    await this.input.start((interleaved, frames) => this.onAudio(interleaved, frames));
  }

  /** The last 5.12 s heard as a grey sound-picture (512 x 512), or undefined before 5.12 s have been heard. */
  picture(width = LISTEN_PICTURE_COLUMNS): RgbImage | undefined {
    return this.spectrogram.picture(width);
  }

  /**
   * Seconds from the sound of column `column` (its centre) at the input until now: the input's
   * latency plus the audio received since (at least the half window after the centre).
   */
  latencyOf(column = this.spectrogram.columnCount - 1): number {
    const s = this.spectrogram;
    return this.input.latency + (s.sampleCount - Math.max(0, column) * s.hop) / s.params.sampleRate;
  }

  /**
   * Whether the music is coming in, for the performer's health panel: the loudest sample since
   * the last call (about once a second), how long the input has been quiet, and its trouble counts.
   */
  health(): ListenHealth {
    const peak = this.peakSample;
    this.peakSample = 0;
    const { overflows, errors } = this.input.stats;
    return {
      device: this.input.deviceName,
      peakDb: peak > 0 ? Math.round(20 * Math.log10(peak)) + 0 : null, // + 0: no -0
      // the raw sample, not the rounded dB: a mastered track peaking at -0.4 dBFS is not clipping
      clipping: peak >= CLIPPING_PEAK,
      quietSeconds: Math.floor(this.quietColumns / this.spectrogram.columnsPerSecond),
      overflows, errors,
    };
  }

  async dispose(): Promise<void> {
    await this.input.close();
  }

  private onAudio(interleaved: Float32Array, frames: number): void {
    const s = this.spectrogram;
    const before = s.columnCount;
    let peak = this.peakSample;
    for (let i = 0, n = frames * this.input.channels; i < n; i++) {
      const v = interleaved[i]!;
      if (v > peak) peak = v;
      else if (-v > peak) peak = -v;
    }
    this.peakSample = peak;
    s.push(interleaved, this.input.channels, frames);
    if (s.columnCount > before) this.watchSilence(s.columnCount - before);
    // columns that fell out of the ring while nobody took them are skipped, not replayed
    if (this.next < s.columnCount - s.capacity) this.next = s.columnCount - s.capacity;
    while (s.columnCount - this.next >= this.perEvent) {
      const count = Math.min(MAX_COLUMNS_PER_EVENT, s.columnCount - this.next);
      if (this.wanted()) this.emit(this.next, count);
      this.next += count;
    }
  }

  private watchSilence(columns: number): void {
    // the newest column stands for the chunk: a chunk is 1 or 2 columns
    if (this.spectrogram.lastColumnPeak >= this.levelFloor) {
      this.quietColumns = 0;
      return;
    }
    const was = this.quietColumns;
    this.quietColumns += columns;
    if (this.onSilence && was < this.silenceColumns && this.quietColumns >= this.silenceColumns) this.onSilence(this.silenceColumns / this.spectrogram.columnsPerSecond);
  }

  private emit(first: number, count: number): void {
    const s = this.spectrogram;
    s.copyColumns(first, count, this.scratch);
    const bytes = count * s.height;
    this.publish({
      type: 'listen', firstColumn: first, count, height: s.height,
      columns: Buffer.from(this.scratch.buffer, this.scratch.byteOffset, bytes).toString('base64'),
      columnsPerSecond: s.columnsPerSecond,
      latency: Math.round(this.latencyOf(first + count - 1) * 1e4) / 1e4,
    });
  }
}
