import { UserError } from '../errors.js';
import { checkChunk, checkSinkShape, playedPosition, withDefaults, type AudioSink, type PlayedPosition, type SinkStats } from './audioSink.js';
import { ChunkRing } from './chunkRing.js';
import type { NativeOutputStream, PortAudioBackend } from './naudiodonBackend.js';
import { describeOutputs, selectOutputDevice, type DeviceSelector, type OutputDeviceInfo } from './outputDevices.js';
import { errorText, settlesWithin, trackNativeStop } from './nativeStops.js';
import { listDevices, openAndStart } from './openNativeStream.js';
import { RealtimeClock, systemClock, type ClockSource } from './realtimeClock.js';

export { pendingNativeStops } from './nativeStops.js';

/** Resolved configuration of a {@link PortAudioSink}; plain data. */
export interface PortAudioSinkConfig {
  /** Device index or part of its name (see {@link selectOutputDevice}); undefined: the default output. */
  readonly device: DeviceSelector;
  /** Hz. */
  readonly sampleRate: number;
  readonly channels: number;
  /** Frames per chunk, also PortAudio's frames per callback. Smaller: lower latency, more wake-ups. */
  readonly framesPerChunk: number;
  /**
   * Chunks naudiodon's native queue holds. This queue is what covers main-thread pauses (GC,
   * a slow event-loop turn): the device starves if the feeder is stalled longer than about
   * `maxQueue * framesPerChunk / sampleRate`.
   */
  readonly maxQueue: number;
  /** Chunks buffered between the producer and the feeder; the producer's slack. */
  readonly ringChunks: number;
  /** A write the device has not taken for this long means the device is gone (ms). */
  readonly stallTimeoutMs: number;
  /**
   * Replaces `stallTimeoutMs` for this long after a stream opens (ms): starting can be slow, e.g.
   * PulseAudio's null sink first waits out its current block (up to 2 s), after PortAudio already
   * took a few chunks to prime its buffer.
   */
  readonly startTimeoutMs: number;
  /** While the device is gone, try to reopen it this often (ms). */
  readonly reopenIntervalMs: number;
}

/** {@link SinkStats} plus device details. */
export interface PortAudioSinkStats extends SinkStats {
  /** Underruns PortAudio itself reported (the feeder was late: main thread stalled). */
  deviceUnderflows: number;
  /** Chunks of silence fed because the producer had nothing ready. */
  silentChunks: number;
  /** Frames accepted while the device was gone (dropped, but paced). */
  droppedFrames: number;
  /** Successful reopens after the device came back. */
  reopens: number;
}

export type PortAudioSinkOptions = Partial<PortAudioSinkConfig> & {
  /** Show-time problems and recoveries ("device gone", "device back"). Default: `console.warn`. */
  readonly onWarning?: (message: string) => void;
  /** PortAudio access; tests pass a fake. Default: naudiodon, loaded on `start()`. */
  readonly backend?: PortAudioBackend;
  /** Time source for the stall watchdog and the paced dropping while the device is gone. */
  readonly clock?: ClockSource;
};

/** State of the output: not started, playing, device gone (retrying), closed. */
export type PortAudioSinkState = 'idle' | 'playing' | 'lost' | 'closed';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * An {@link AudioSink} on a PortAudio output device (via naudiodon), built for a show that must
 * not stop:
 *
 * - **Always fed.** A feeder loop keeps naudiodon's queue full, writing a chunk of silence
 *   whenever the producer has nothing ready. (naudiodon's callback *blocks* on an empty queue
 *   instead of playing silence, and with ALSA's pulse plugin each underrun costs a stall of up
 *   to 2 s.) Producer gaps are counted in `stats.underflows` / `silentChunks`; underruns
 *   PortAudio reports are counted in `deviceUnderflows` (and `underflows`).
 * - **Device trouble is not fatal.** If the device stops taking audio for `stallTimeoutMs`, the
 *   sink warns through `onWarning`, keeps accepting writes (dropped, still paced in real time)
 *   and tries to reopen the same device every `reopenIntervalMs`.
 * - **No per-chunk buffers.** `write()` copies into a preallocated ring; naudiodon copies
 *   again natively (its own allocation, not avoidable from JS).
 *
 * Latency ≈ (ringChunks + maxQueue + 1) chunks + the device's buffer (see `queueLatency`).
 *
 * @example
 * ```ts
 * const sink = new PortAudioSink({ device: 'pulse', onWarning: (m) => status.warn(m) });
 * await sink.start(); // UserError listing the devices if "pulse" matches none
 * for (;;) { render(chunk); await sink.write(chunk); }
 * ```
 */
export class PortAudioSink implements AudioSink {
  /** Defaults: 512-frame chunks (11.6 ms at 44.1 kHz), 3 queued natively, 2 in the ring. */
  static defaults(): PortAudioSinkConfig {
    return {
      device: undefined,
      sampleRate: 44100,
      channels: 2,
      framesPerChunk: 512,
      maxQueue: 3,
      ringChunks: 2,
      // PulseAudio's null sink renders 2 s blocks while it has no low-latency client, and an ALSA
      // pulse stream can stall ~2 s after an underrun: a shorter timeout would report those as loss.
      stallTimeoutMs: 2500,
      startTimeoutMs: 5000,
      reopenIntervalMs: 1000,
    };
  }

  readonly config: Readonly<PortAudioSinkConfig>;
  readonly stats: PortAudioSinkStats = {
    underflows: 0,
    framesWritten: 0,
    errors: 0,
    deviceUnderflows: 0,
    silentChunks: 0,
    droppedFrames: 0,
    reopens: 0,
  };

  private backend: PortAudioBackend | undefined;
  private readonly warn: (message: string) => void;
  private readonly source: ClockSource;
  private readonly ring: ChunkRing;
  private readonly silence: Buffer;
  /** Paces dropped writes while the device is gone, so the producer keeps real time instead of spinning. */
  private readonly lostClock: RealtimeClock;
  private lostFrames = 0;
  private stream: NativeOutputStream | undefined;
  private feeding: Promise<void> = RESOLVED;
  private currentState: PortAudioSinkState = 'idle';
  private name = '';
  private deviceLatency = 0;
  /** When the feeder's pending native write started (clock ms), for the stall watchdog. */
  private writeSince: number | undefined;
  /** When the current stream was opened (clock ms): start-up gets `startTimeoutMs`. */
  /** native writes since the stream was (re)opened */
  private writesSinceOpen = 0;
  private openedAt = 0;
  private producing = false;
  private starved = false;
  private closing = false;
  private waiter: (() => void) | undefined;
  private pendingWrite: Promise<void> | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private lastReopenError: string | undefined;

  constructor(options: PortAudioSinkOptions = {}) {
    const { onWarning, backend, clock, ...rest } = options;
    this.config = withDefaults(PortAudioSink.defaults(), rest);
    const { sampleRate, channels, framesPerChunk, maxQueue, ringChunks } = this.config;
    checkSinkShape(sampleRate, channels, framesPerChunk);
    if (!Number.isInteger(maxQueue) || maxQueue < 1) throw new RangeError(`invalid maxQueue ${maxQueue}`);
    this.backend = backend;
    this.warn = onWarning ?? ((m) => console.warn(m));
    this.source = clock ?? systemClock;
    this.ring = new ChunkRing(ringChunks, framesPerChunk * channels);
    this.silence = Buffer.alloc(framesPerChunk * channels * 4);
    this.lostClock = new RealtimeClock(sampleRate, this.source);
  }

  get sampleRate(): number {
    return this.config.sampleRate;
  }
  get channels(): number {
    return this.config.channels;
  }
  get framesPerChunk(): number {
    return this.config.framesPerChunk;
  }
  position(): PlayedPosition {
    return playedPosition(this);
  }
  readonly paced = true;
  /** Seconds from write() to the speaker: this sink's queues plus the device's own latency (PortAudio's estimate). */
  get outputLatency(): number {
    return this.queueLatency + this.deviceLatency;
  }
  get state(): PortAudioSinkState {
    return this.currentState;
  }
  /** Name of the device in use (after `start()`); "default output" when none was named. */
  get deviceName(): string {
    return this.name;
  }
  /** Seconds of audio this sink buffers before PortAudio: ring + native queue + the chunk in play. */
  get queueLatency(): number {
    const { ringChunks, maxQueue, framesPerChunk, sampleRate } = this.config;
    return ((ringChunks + maxQueue + 1) * framesPerChunk) / sampleRate;
  }

  /**
   * Load naudiodon, find the device, open and start it.
   * @throws UserError when naudiodon is unusable, no device matches (listing those available) or
   *   the device refuses the format.
   */
  async start(): Promise<void> {
    if (this.currentState !== 'idle') throw new Error(`PortAudioSink: start() in state ${this.currentState}`);
    // Loaded here, not at import time: importing this module must have no side effects, and
    // machines without a working naudiodon can still load (and test) everything else.
    this.backend ??= (await import('./naudiodonBackend.js')).loadNaudiodon();
    this.attach(this.open());
    const period = Math.max(20, Math.min(250, this.config.stallTimeoutMs / 4));
    this.watchdog = setInterval(() => this.checkStall(), period);
    this.watchdog.unref(); // the feeder's pending write keeps the process alive while playing
  }

  /** See {@link AudioSink.write}. Resolves when the ring has room again (device pace). */
  write(chunk: Float32Array): Promise<void> {
    checkChunk(this, chunk);
    if (this.currentState === 'closed' || this.closing) throw new Error('PortAudioSink: write() after close()');
    if (this.currentState === 'idle') throw new Error('PortAudioSink: write() before start()');
    if (this.pendingWrite) throw new Error('PortAudioSink: write() called before the previous write resolved');
    this.stats.framesWritten += this.framesPerChunk;
    this.producing = true;
    let p: Promise<void>;
    if (!this.stream) {
      // Device gone: drop the chunk but keep real time, with the same lead a working device allows.
      this.stats.droppedFrames += this.framesPerChunk;
      this.stats.lostFrames = (this.stats.lostFrames ?? 0) + this.framesPerChunk;
      this.lostFrames += this.framesPerChunk;
      p = this.lostClock.waitForFrame(this.lostFrames - (this.config.ringChunks + this.config.maxQueue) * this.framesPerChunk);
    } else {
      this.ring.push(chunk);
      if (!this.ring.full) return RESOLVED;
      p = new Promise<void>((resolve) => (this.waiter = resolve));
    }
    this.pendingWrite = p;
    return p.finally(() => (this.pendingWrite = undefined));
  }

  /** Play out what was written, stop the device and release it. Idempotent. */
  async close(): Promise<void> {
    if (this.currentState === 'closed' || this.closing) return;
    this.closing = true;
    clearInterval(this.reopenTimer);
    this.reopenTimer = undefined;
    await this.pendingWrite;
    const stream = this.stream;
    if (stream) {
      // The feeder stops once the ring is empty; a device that stalls meanwhile is caught by the watchdog.
      await settlesWithin(this.feeding, this.config.stallTimeoutMs + this.queueLatency * 1000);
      if (this.stream === stream) {
        // (otherwise the watchdog declared it lost while draining, and already aborted it)
        this.stream = undefined;
        if (!(await settlesWithin(trackNativeStop(stream.quit('WAIT')), this.config.stallTimeoutMs))) {
          this.warn(`audio output "${this.name}" did not stop within ${this.config.stallTimeoutMs} ms; abandoned`);
        }
      }
    }
    clearInterval(this.watchdog);
    this.currentState = 'closed';
  }

  /** Resolve the device, open and start a stream on it. Used by start() and by every reopen attempt. */
  private open(): NativeOutputStream {
    const backend = this.backend!;
    const { device: selector, channels, sampleRate, framesPerChunk, maxQueue } = this.config;
    const devices = listDevices(backend);
    const device = selectOutputDevice(devices, selector, channels);
    if (!device && !devices.some((d) => d.maxOutputChannels >= channels)) {
      throw new UserError(`no audio output to play on: ${describeOutputs(devices, channels)}`);
    }
    const name = device?.name ?? 'default output';
    const stream = openAndStart('output', name, { sampleRate, channels },
      () => backend.openOutput({ deviceId: device?.id ?? -1, sampleRate, channelCount: channels, framesPerBuffer: framesPerChunk, maxQueue }));
    this.name = name;
    this.deviceLatency = Number.isFinite(device?.defaultLowOutputLatency) ? device!.defaultLowOutputLatency : 0;
    return stream;
  }

  private attach(stream: NativeOutputStream): void {
    this.stream = stream;
    this.currentState = 'playing';
    // After a reopen the silence until the producer's next chunk belongs to the outage (already
    // counted as an error), not to a new underflow.
    this.starved = this.producing;
    this.openedAt = this.source.now();
    this.writesSinceOpen = 0;
    this.feeding = this.feed(stream);
  }

  /**
   * Keep the native queue full: one chunk per native write, producer audio when the ring has
   * some, silence otherwise. Each native write resolves when the device took a chunk, so this
   * loop runs at the device's pace and is where the producer gets released.
   */
  private async feed(stream: NativeOutputStream): Promise<void> {
    while (this.stream === stream) {
      const audio = this.ring.peek();
      if (!audio && this.closing) return;
      if (!audio && this.producing) {
        this.stats.silentChunks++;
        if (!this.starved) this.stats.underflows++; // count the gap once, not every silent chunk
        this.starved = true;
      }
      this.writeSince = this.source.now();
      let status: string | undefined;
      try {
        const queued = stream.write(audio ?? this.silence); // copies synchronously: the slot is free again
        if (audio) {
          this.ring.shift();
          this.starved = false;
          this.releaseProducer();
        }
        status = await queued;
      } catch (e) {
        this.lose(stream, `write failed: ${errorText(e)}`);
        return;
      }
      this.writeSince = undefined;
      this.writesSinceOpen++;
      if (status && this.stream === stream) this.onStatus(status);
    }
  }

  /** naudiodon's status strings look like "portAudio status - output underflow " (strings, not Errors). */
  private onStatus(status: string): void {
    // PortAudio starts the stream before the first chunk is queued, so it may report an underflow
    // while the queue fills for the first time: silence that no listener hears as a gap.
    if (this.writesSinceOpen <= this.config.maxQueue) return;
    if (/output underflow/i.test(status)) {
      this.stats.deviceUnderflows++;
      this.stats.underflows++;
    }
  }

  private releaseProducer(): void {
    const w = this.waiter;
    if (w && !this.ring.full) {
      this.waiter = undefined;
      w();
    }
  }

  private checkStall(): void {
    if (!this.stream || this.writeSince === undefined) return;
    const now = this.source.now();
    const stalled = now - this.writeSince;
    const { stallTimeoutMs, startTimeoutMs } = this.config;
    if (stalled > (now - this.openedAt < startTimeoutMs ? startTimeoutMs : stallTimeoutMs)) this.lose(this.stream, `it took no audio for ${(stalled / 1000).toFixed(1)} s`);
  }

  /** The device stopped working: report, drop what is buffered, keep time, retry. */
  private lose(stream: NativeOutputStream, reason: string): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    this.writeSince = undefined;
    this.stats.errors++;
    // the silence until the device is back is a gap the audience hears: count it
    this.stats.underflows++;
    // ABORT releases the feeder's blocked write. If the device is really gone the quit never
    // returns (naudiodon waits for a callback that will not come) and keeps one libuv pool thread.
    void trackNativeStop(stream.quit('ABORT'));
    const cleared = this.ring.clear() * this.framesPerChunk;
    this.stats.droppedFrames += cleared;
    this.stats.lostFrames = (this.stats.lostFrames ?? 0) + cleared;
    this.lostFrames = 0;
    this.lostClock.reset();
    this.releaseProducer();
    if (this.closing) return;
    this.currentState = 'lost';
    const every = (this.config.reopenIntervalMs / 1000).toFixed(1);
    this.warn(`audio output "${this.name}" failed: ${reason}. Carrying on without sound; trying to reopen it every ${every} s`);
    this.lastReopenError = undefined;
    this.reopenTimer = setInterval(() => this.tryReopen(), this.config.reopenIntervalMs);
  }

  private tryReopen(): void {
    if (this.stream || this.closing || this.currentState === 'closed') return;
    let stream: NativeOutputStream;
    try {
      stream = this.open();
    } catch (e) {
      const text = errorText(e);
      if (text !== this.lastReopenError) this.warn(`audio output still unavailable: ${text}`);
      this.lastReopenError = text;
      return;
    }
    clearInterval(this.reopenTimer);
    this.reopenTimer = undefined;
    this.stats.reopens++;
    this.attach(stream);
    this.warn(`audio output "${this.name}" is back`);
  }
}

/**
 * The output devices PortAudio can see (loads naudiodon on first use). For `--list-devices`-style
 * commands and error messages.
 * @example
 * ```ts
 * for (const d of await listOutputDevices()) console.log(d.id, d.name, d.maxOutputChannels);
 * ```
 */
export async function listOutputDevices(backend?: PortAudioBackend): Promise<OutputDeviceInfo[]> {
  const b = backend ?? (await import('./naudiodonBackend.js')).loadNaudiodon();
  return b.getDevices().filter((d) => d.maxOutputChannels > 0);
}
