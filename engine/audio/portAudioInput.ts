import { UserError } from '../errors.js';
import type { AudioInput, AudioInputStats } from './audioInput.js';
import { withDefaults } from './audioSink.js';
import type { InputRead, NativeInputStream, PortAudioBackend } from './naudiodonBackend.js';
import { errorText, trackNativeStop } from './nativeStops.js';
import { listDevices, openAndStart } from './openNativeStream.js';
import { channelsOf, describeInputs, selectInputDevice, type DeviceSelector } from './outputDevices.js';
import { systemClock, type ClockSource } from './realtimeClock.js';

/** Resolved configuration of a {@link PortAudioInput}; plain data. */
export interface PortAudioInputConfig {
  /** Device index or part of its name; undefined: the default input. */
  readonly device: DeviceSelector;
  /** Hz */
  readonly sampleRate: number;
  /** channels asked for (fewer when the device has fewer): a mixer's record out is stereo */
  readonly channels: number;
  /** frames per read, also PortAudio's frames per callback: 512 = 11.6 ms */
  readonly framesPerChunk: number;
  /**
   * Chunks naudiodon's native queue holds while the reader is busy: the slack for main-thread
   * pauses (16 x 512 frames = 186 ms). It adds no latency while the reader keeps up.
   */
  readonly maxQueue: number;
  /** No audio for this long means the device is gone (ms). */
  readonly stallTimeoutMs: number;
  /** Replaces `stallTimeoutMs` for this long after the stream opens (ms). */
  readonly startTimeoutMs: number;
  /** While the device is gone, try to reopen it this often (ms). */
  readonly reopenIntervalMs: number;
}

export type PortAudioInputOptions = Partial<PortAudioInputConfig> & {
  /** show-time problems and recoveries; default `console.warn` */
  readonly onWarning?: (message: string) => void;
  /** PortAudio access; tests pass a fake. Default: naudiodon, loaded on `start()`. */
  readonly backend?: PortAudioBackend;
  readonly clock?: ClockSource;
};

/**
 * A sound-card input through naudiodon (PortAudio), for listen mode: reads continuously (naudiodon's
 * capture callback blocks when its queue is full, which PortAudio reports as an input overflow),
 * counts overflows, and survives the device going away: a stall or a failed read is reported once,
 * and the device is reopened every `reopenIntervalMs` until it is back.
 *
 * Each chunk is copied into one reused buffer before the listener sees it; naudiodon allocates a
 * Buffer per read natively, which JavaScript cannot avoid.
 *
 * @example
 * const input = new PortAudioInput({ device: 'USB Audio', onWarning: (m) => log(m) });
 * await input.start((frames, n) => spectrogram.push(frames, input.channels, n));
 */
export class PortAudioInput implements AudioInput {
  static defaults(): PortAudioInputConfig {
    return {
      device: undefined, sampleRate: 44100, channels: 2, framesPerChunk: 512, maxQueue: 16,
      stallTimeoutMs: 2500, startTimeoutMs: 5000, reopenIntervalMs: 1000,
    };
  }

  readonly config: Readonly<PortAudioInputConfig>;
  readonly stats: AudioInputStats = { framesRead: 0, overflows: 0, errors: 0 };
  private backend: PortAudioBackend | undefined;
  private readonly warn: (message: string) => void;
  private readonly clock: ClockSource;
  private stream: NativeInputStream | undefined;
  private onAudio: ((interleaved: Float32Array, frames: number) => void) | undefined;
  private buffer = new Float32Array(0);
  private bytes = new Uint8Array(0);
  private openChannels = 0;
  private name = '';
  private deviceLatency = 0;
  private readSince: number | undefined;
  private openedAt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private lastReopenError: string | undefined;
  private listenerFailed = false;
  private closed = false;

  constructor(options: PortAudioInputOptions = {}) {
    const { onWarning, backend, clock, ...rest } = options;
    this.config = withDefaults(PortAudioInput.defaults(), rest);
    const { sampleRate, channels, framesPerChunk, maxQueue } = this.config;
    if (!(Number.isInteger(sampleRate) && sampleRate > 0)) throw new RangeError(`invalid sample rate ${sampleRate}`);
    if (!(Number.isInteger(channels) && channels >= 1)) throw new RangeError(`invalid channel count ${channels}`);
    if (!(Number.isInteger(framesPerChunk) && framesPerChunk >= 1)) throw new RangeError(`invalid framesPerChunk ${framesPerChunk}`);
    if (!(Number.isInteger(maxQueue) && maxQueue >= 1)) throw new RangeError(`invalid maxQueue ${maxQueue}`);
    this.backend = backend;
    this.warn = onWarning ?? ((m) => console.warn(m));
    this.clock = clock ?? systemClock;
  }

  get sampleRate(): number {
    return this.config.sampleRate;
  }
  /** channels of the open stream (after `start()`) */
  get channels(): number {
    return this.openChannels;
  }
  get deviceName(): string {
    return this.name;
  }
  get latency(): number {
    return this.deviceLatency + this.config.framesPerChunk / this.config.sampleRate;
  }

  async start(onAudio: (interleaved: Float32Array, frames: number) => void): Promise<void> {
    if (this.onAudio) throw new Error('PortAudioInput: start() called twice');
    // loaded here, not at import time: machines without a working naudiodon still load this module
    this.backend ??= (await import('./naudiodonBackend.js')).loadNaudiodon();
    this.onAudio = onAudio;
    this.attach(this.open());
    const period = Math.max(20, Math.min(250, this.config.stallTimeoutMs / 4));
    this.watchdog = setInterval(() => this.checkStall(), period);
    this.watchdog.unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    clearInterval(this.reopenTimer);
    const stream = this.stream;
    this.stream = undefined;
    // ABORT: nothing captured is worth waiting for; it also releases the reader's pending read
    if (stream) await Promise.race([trackNativeStop(stream.quit('ABORT')), new Promise((r) => setTimeout(r, this.config.stallTimeoutMs).unref())]);
  }

  private open(): NativeInputStream {
    const backend = this.backend!;
    const { device: selector, sampleRate, framesPerChunk, maxQueue } = this.config;
    const devices = listDevices(backend);
    const device = selectInputDevice(devices, selector);
    if (!device && !devices.some((d) => channelsOf(d, 'input') > 0)) throw new UserError(`no audio input to listen to: ${describeInputs(devices)}`);
    const name = device?.name ?? 'default input';
    const available = device ? channelsOf(device, 'input') : this.config.channels;
    const channels = Math.max(1, Math.min(this.config.channels, available));
    const stream = openAndStart('input', name, { sampleRate, channels },
      () => backend.openInput({ deviceId: device?.id ?? -1, sampleRate, channelCount: channels, framesPerBuffer: framesPerChunk, maxQueue }));
    this.name = name;
    this.openChannels = channels;
    this.deviceLatency = Number.isFinite(device?.defaultLowInputLatency) ? device!.defaultLowInputLatency! : 0;
    if (this.buffer.length !== framesPerChunk * channels) {
      this.buffer = new Float32Array(framesPerChunk * channels);
      this.bytes = new Uint8Array(this.buffer.buffer);
    }
    return stream;
  }

  private attach(stream: NativeInputStream): void {
    this.stream = stream;
    this.openedAt = this.clock.now();
    void this.read(stream);
  }

  /** The read loop: one native read per chunk, for as long as this stream is the current one. */
  private async read(stream: NativeInputStream): Promise<void> {
    const bytes = this.buffer.byteLength;
    while (this.stream === stream) {
      this.readSince = this.clock.now();
      let r: InputRead;
      try {
        r = await stream.read(bytes);
      } catch (e) {
        this.lose(stream, `read failed: ${errorText(e)}`);
        return;
      }
      this.readSince = undefined;
      if (this.stream !== stream) return;
      if (r.err !== undefined) {
        // naudiodon hands back the status instead of this read's audio
        if (/input overflow/i.test(r.err)) this.stats.overflows++;
        continue;
      }
      if (r.finished || !r.buf || r.buf.length === 0) {
        this.lose(stream, 'the device stopped delivering audio');
        return;
      }
      const n = Math.min(r.buf.length, bytes);
      // a copy into our aligned buffer: naudiodon's Buffer may sit at any byte offset
      this.bytes.set(r.buf.subarray(0, n));
      const frames = Math.floor(n / 4 / this.openChannels);
      this.stats.framesRead += frames;
      this.deliver(frames);
    }
  }

  private deliver(frames: number): void {
    try {
      this.onAudio!(this.buffer, frames);
    } catch (e) {
      if (this.listenerFailed) return;
      this.listenerFailed = true;
      this.warn(`the audio input's listener failed (${errorText(e)}); listening goes on`);
    }
  }

  private checkStall(): void {
    if (!this.stream || this.readSince === undefined) return;
    const now = this.clock.now();
    const limit = now - this.openedAt < this.config.startTimeoutMs ? this.config.startTimeoutMs : this.config.stallTimeoutMs;
    if (now - this.readSince > limit) this.lose(this.stream, `no audio for ${((now - this.readSince) / 1000).toFixed(1)} s`);
  }

  /** The device failed: report once, release it, and retry. */
  private lose(stream: NativeInputStream, reason: string): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    this.readSince = undefined;
    this.stats.errors++;
    void trackNativeStop(stream.quit('ABORT'));
    if (this.closed) return;
    const every = (this.config.reopenIntervalMs / 1000).toFixed(1);
    this.warn(`audio input "${this.name}" failed: ${reason}. Listening stops; trying to reopen it every ${every} s`);
    this.lastReopenError = undefined;
    this.reopenTimer = setInterval(() => this.tryReopen(), this.config.reopenIntervalMs);
  }

  private tryReopen(): void {
    if (this.stream || this.closed) return;
    let stream: NativeInputStream;
    try {
      stream = this.open();
    } catch (e) {
      const text = errorText(e);
      if (text !== this.lastReopenError) this.warn(`audio input still unavailable: ${text}`);
      this.lastReopenError = text;
      return;
    }
    clearInterval(this.reopenTimer);
    this.reopenTimer = undefined;
    this.attach(stream);
    this.warn(`audio input "${this.name}" is back`);
  }
}
