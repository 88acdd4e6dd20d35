/**
 * A fake PortAudio for the sink's logic tests: naudiodon's queue semantics (write() copies at
 * once, then blocks while `maxQueue` chunks wait), with switches for a dead device and for
 * statuses to report.
 */
import type { NativeOutputStream, OutputStreamOptions, PortAudioBackend } from '../../engine/audio/naudiodonBackend.js';
import type { OutputDeviceInfo } from '../../engine/audio/outputDevices.js';

/** One output stream: a timer plays one queued chunk per period. */
export class FakeStream implements NativeOutputStream {
  readonly played: Float32Array[] = [];
  readonly statuses: string[] = [];
  dead = false;
  quitMode: 'WAIT' | 'ABORT' | undefined;
  private readonly queue: Float32Array[] = [];
  private readonly waiting: { chunk: Float32Array; resolve: (s: string | undefined) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly options: OutputStreamOptions,
    private readonly periodMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.periodMs);
  }

  write(chunk: Buffer): Promise<string | undefined> {
    // Copy now, like naudiodon: the caller reuses its buffer as soon as write() returns.
    const copy = new Float32Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
    return new Promise((resolve) => {
      this.waiting.push({ chunk: copy, resolve });
      this.pump();
    });
  }

  quit(mode: 'WAIT' | 'ABORT'): Promise<void> {
    this.quitMode = mode;
    for (const w of this.waiting.splice(0)) w.resolve(undefined); // quitting releases a blocked write
    if (this.dead) return new Promise<void>(() => undefined); // as naudiodon: waits forever for a dead callback
    if (mode === 'WAIT') this.played.push(...this.queue.splice(0));
    clearInterval(this.timer);
    return Promise.resolve();
  }

  private tick(): void {
    if (this.dead) return;
    const c = this.queue.shift();
    if (c) this.played.push(c);
    this.pump();
  }

  private pump(): void {
    while (this.waiting.length && this.queue.length < this.options.maxQueue) {
      const w = this.waiting.shift()!;
      this.queue.push(w.chunk);
      w.resolve(this.statuses.shift());
    }
  }
}

/** Devices and streams; `available = false` makes opening fail as PortAudio does with no server. */
export class FakeBackend implements PortAudioBackend {
  readonly streams: FakeStream[] = [];
  available = true;
  constructor(
    readonly devices: OutputDeviceInfo[],
    private readonly periodMs: number,
  ) {}
  getDevices(): OutputDeviceInfo[] {
    return this.devices;
  }
  openInput(): never {
    throw new Error('this fake has no inputs (see fakeAudioInput.ts)');
  }
  openOutput(options: OutputStreamOptions): FakeStream {
    if (!this.available) throw new Error('Format not supported: Illegal combination of I/O devices');
    const s = new FakeStream(options, this.periodMs);
    this.streams.push(s);
    return s;
  }
}

const device = (id: number, name: string, maxOutputChannels = 2): OutputDeviceInfo => ({
  id,
  name,
  maxOutputChannels,
  defaultSampleRate: 44100,
  defaultLowOutputLatency: 0,
  hostAPIName: 'ALSA',
});
/** A laptop with PulseAudio: a hw device, the ALSA pulse plugin, default, and an input-only device. */
export const DEVICES = [device(0, 'HDA Intel PCH: ALC3246 Analog (hw:0,0)'), device(1, 'pulse', 32), device(2, 'default', 32), device(3, 'mic', 0)];
