/**
 * Fakes for listen mode: a naudiodon-like input stream for PortAudioInput's logic, and an
 * AudioInput the test feeds by hand for everything above it.
 */
import type { AudioInput, AudioInputStats } from '../../engine/audio/audioInput.js';
import type { InputRead, InputStreamOptions, NativeInputStream, PortAudioBackend } from '../../engine/audio/naudiodonBackend.js';
import type { NativeOutputStream, OutputStreamOptions } from '../../engine/audio/naudiodonBackend.js';
import type { OutputDeviceInfo } from '../../engine/audio/outputDevices.js';

/** An input stream: `capture()` is the device capturing a chunk; reads wait for one, as naudiodon's do. */
export class FakeInputStream implements NativeInputStream {
  readonly captured: Buffer[] = [];
  /** statuses the next reads return instead of their audio */
  readonly statuses: string[] = [];
  started = false;
  quitMode: 'WAIT' | 'ABORT' | undefined;
  /** a dead device: reads never return, quit never returns */
  dead = false;
  private waiting: ((r: InputRead) => void) | undefined;

  constructor(readonly options: InputStreamOptions) {}

  start(): void {
    this.started = true;
  }

  /** The device captured `samples` (interleaved, options.channelCount channels). */
  capture(samples: Float32Array): void {
    this.captured.push(Buffer.from(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength)));
    this.pump();
  }

  read(bytes: number): Promise<InputRead> {
    return new Promise((resolve) => {
      this.waiting = (r) => {
        if (r.buf && r.buf.length > 0 && r.buf.length !== bytes) throw new Error(`fake input: read ${bytes} bytes, captured chunks of ${r.buf.length}`);
        resolve(r);
      };
      this.pump();
    });
  }

  quit(mode: 'WAIT' | 'ABORT'): Promise<void> {
    this.quitMode = mode;
    if (this.dead) return new Promise<void>(() => undefined);
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ buf: Buffer.alloc(0), finished: true });
    return Promise.resolve();
  }

  private pump(): void {
    if (this.dead || !this.waiting) return;
    const status = this.statuses.shift();
    const chunk = status === undefined ? this.captured.shift() : undefined;
    if (status === undefined && !chunk) return;
    const w = this.waiting;
    this.waiting = undefined;
    w(status !== undefined ? { err: status } : { buf: chunk!, finished: false });
  }
}

/** Devices with inputs; every opened input stream is kept for the test to drive. */
export class FakeInputBackend implements PortAudioBackend {
  readonly inputs: FakeInputStream[] = [];
  available = true;
  constructor(readonly devices: OutputDeviceInfo[]) {}
  getDevices(): OutputDeviceInfo[] {
    return this.devices;
  }
  openOutput(_options: OutputStreamOptions): NativeOutputStream {
    throw new Error('this fake has no outputs (see fakePortAudio.ts)');
  }
  openInput(options: InputStreamOptions): FakeInputStream {
    if (!this.available) throw new Error('Could not open stream: Device unavailable');
    const s = new FakeInputStream(options);
    this.inputs.push(s);
    return s;
  }
}

const device = (id: number, name: string, maxOutputChannels: number, maxInputChannels: number): OutputDeviceInfo => ({
  id, name, maxOutputChannels, maxInputChannels, defaultSampleRate: 44100, defaultLowOutputLatency: 0.01, defaultLowInputLatency: 0.008, hostAPIName: 'ALSA',
});
/** A laptop with a USB mixer: outputs only, a stereo mixer input, a mono mic, pulse. */
export const INPUT_DEVICES = [
  device(0, 'HDA Intel PCH: ALC3246 Analog (hw:0,0)', 2, 0), device(1, 'DJM-450: USB Audio (hw:1,0)', 2, 2),
  device(2, 'mic', 0, 1), device(3, 'pulse', 32, 32),
];

/** An AudioInput the test feeds: `feed()` delivers interleaved frames as a device would. */
export class FakeAudioInput implements AudioInput {
  readonly stats: AudioInputStats = { framesRead: 0, overflows: 0, errors: 0 };
  readonly deviceName = 'fake input';
  latency = 0.02;
  closed = false;
  private onAudio: ((interleaved: Float32Array, frames: number) => void) | undefined;
  constructor(readonly sampleRate = 44100, readonly channels = 2, private readonly chunkFrames = 512) {}

  async start(onAudio: (interleaved: Float32Array, frames: number) => void): Promise<void> {
    this.onAudio = onAudio;
  }

  /** Delivers `interleaved` in device-sized chunks (the last may be shorter). */
  feed(interleaved: Float32Array): void {
    const frames = interleaved.length / this.channels;
    for (let f = 0; f < frames; f += this.chunkFrames) {
      const n = Math.min(this.chunkFrames, frames - f);
      this.stats.framesRead += n;
      this.onAudio?.(interleaved.subarray(f * this.channels, (f + n) * this.channels), n);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.onAudio = undefined;
  }
}
