import { open } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { checkChunk, checkSinkShape, playedPosition, withDefaults, type AudioSink, type PlayedPosition, type SinkStats } from './audioSink.js';
import { RealtimeClock, systemClock, type ClockSource } from './realtimeClock.js';
import { bytesPerSample, WAV_HEADER_BYTES, writeWavHeader, type WavSampleFormat } from './wavHeader.js';
import { WriteBehind } from './writeBehind.js';

/**
 * Paced: seconds of audio the simulated device may run ahead of the disk. A slow disk, or libuv's
 * thread pool busy with the rest of the process, then delays the file, not the device's clock.
 */
const WRITE_BEHIND_SECONDS = 2;

/** Resolved configuration of a {@link WavFileSink}; plain data. */
export interface WavFileSinkConfig {
  /** File to create (overwritten if it exists). */
  readonly path: string;
  /** Hz. */
  readonly sampleRate: number;
  readonly channels: number;
  readonly framesPerChunk: number;
  /** Sample encoding on disk. float32 keeps the engine's samples exactly; int16 halves the size. */
  readonly format: WavSampleFormat;
  /**
   * true: `write()` resolves at real-time pace, like a sound card (for headless shows whose visuals
   * or MIDI must stay in step with the audio); the disk writes follow up to 2 s behind, so a slow
   * disk delays the file, not the clock. false: as fast as the disk allows (offline renders).
   */
  readonly paced: boolean;
  /**
   * Paced only: how many chunks the simulated device holds ahead of playback. `write()` resolves
   * when the device is this many chunks ahead of the wall clock, which is the producer's slack.
   */
  readonly bufferChunks: number;
  /** Frames between header updates, so a killed process leaves a readable file (default: 1 s). */
  readonly headerIntervalFrames: number;
}

/** {@link SinkStats} plus what only a file sink does. */
export interface WavFileSinkStats extends SinkStats {
  /** Paced only: frames of silence written because the producer was late (the file keeps wall time). */
  insertedFrames: number;
}

/** The file operations the sink needs; `fs/promises` FileHandle has them. */
export interface SinkFile {
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** Options: `path` is required, everything else falls back to {@link WavFileSink.defaults}. */
export type WavFileSinkOptions = Partial<WavFileSinkConfig> & {
  readonly path: string;
  /** Time source for the paced clock; tests inject a fake one. */
  readonly clock?: ClockSource;
  /** Opens `path` for writing (default: `fs/promises` open with 'w'); tests inject a full disk. */
  readonly openFile?: (path: string) => Promise<SinkFile>;
  /** Show-time problems (disk full, ...). Default: `console.warn`. */
  readonly onWarning?: (message: string) => void;
};

/**
 * An {@link AudioSink} that streams into a WAV file: the header is written first, samples are
 * appended chunk by chunk, and the RIFF/data sizes are rewritten every `headerIntervalFrames` and
 * on close (paced, the disk writes follow the clock through a 2 s ring, which a killed process
 * loses). A process killed mid-run therefore leaves a valid file holding everything up to the
 * last header update (the samples after it are on disk too, but not yet declared).
 *
 * Show-time write errors (disk full) do not throw: they are counted in `stats.errors`, reported
 * once through `onWarning` and kept in {@link WavFileSink.failure}, and later chunks are dropped
 * while the clock keeps running. The file is cut back to its last whole chunk and its header
 * declares exactly that, so it stays readable; callers check `failure` after `close()` to exit
 * non-zero.
 *
 * @example
 * ```ts
 * const sink = new WavFileSink({ path: 'show.wav', paced: true });
 * await sink.start();
 * await sink.write(chunk); // resolves in step with the wall clock
 * await sink.close();
 * ```
 */
export class WavFileSink implements AudioSink {
  /** Defaults for everything but `path`. */
  static defaults(): Omit<WavFileSinkConfig, 'path' | 'headerIntervalFrames'> {
    return { sampleRate: 44100, channels: 2, framesPerChunk: 512, format: 'float32', paced: false, bufferChunks: 2 };
  }

  readonly config: Readonly<WavFileSinkConfig>;
  readonly stats: WavFileSinkStats = { underflows: 0, framesWritten: 0, errors: 0, insertedFrames: 0 };

  private readonly clock: RealtimeClock;
  private readonly warn: (message: string) => void;
  /** One chunk encoded for disk, reused for every write (the realtime path does not allocate buffers). */
  private readonly staging: Buffer;
  private readonly stagingView: DataView;
  /** A chunk of encoded silence, for the gaps a late producer leaves in paced mode. */
  private readonly silence: Buffer;
  private readonly header = Buffer.alloc(WAV_HEADER_BYTES);
  private readonly chunkBytes: number;
  /** Paced only: the disk writes, behind the simulated device's clock. */
  private readonly behind: WriteBehind | undefined;
  private readonly openFile: (path: string) => Promise<SinkFile>;
  private file: SinkFile | undefined;
  private firstFailure: string | undefined;
  /** Frames on disk (the header declares up to `framesAtHeader` of them). */
  private framesInFile = 0;
  private framesAtHeader = 0;
  /** Frames on the paced clock's timeline: on disk, or dropped after a write error. */
  private framesOnClock = 0;
  private pending: Promise<void> | undefined;
  private closed = false;
  private failed = false;

  constructor(options: WavFileSinkOptions) {
    const { clock, onWarning, openFile, ...rest } = options;
    this.openFile = openFile ?? ((path) => open(path, 'w'));
    const rate = rest.sampleRate ?? WavFileSink.defaults().sampleRate;
    this.config = withDefaults({ ...WavFileSink.defaults(), path: rest.path, headerIntervalFrames: rate }, rest);
    const { sampleRate, channels, framesPerChunk, bufferChunks } = this.config;
    checkSinkShape(sampleRate, channels, framesPerChunk);
    if (!Number.isInteger(bufferChunks) || bufferChunks < 0) throw new RangeError(`invalid bufferChunks ${bufferChunks}`);
    const interval = this.config.headerIntervalFrames;
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`invalid headerIntervalFrames ${interval}`);
    this.clock = new RealtimeClock(sampleRate, clock ?? systemClock);
    this.warn = onWarning ?? ((m) => console.warn(m));
    const chunkBytes = framesPerChunk * channels * bytesPerSample(this.config.format);
    this.chunkBytes = chunkBytes;
    if (this.config.paced) {
      const chunks = Math.ceil((WRITE_BEHIND_SECONDS * sampleRate) / framesPerChunk);
      this.behind = new WriteBehind(chunks * chunkBytes, (buffer, offset, length) => this.writeBlock(buffer, offset, length));
    }
    this.staging = Buffer.alloc(chunkBytes);
    this.stagingView = new DataView(this.staging.buffer, this.staging.byteOffset, chunkBytes);
    this.silence = Buffer.alloc(chunkBytes); // zero bytes are silence in both float32 and int16
  }

  /** The first write error, as one line naming the file and its cause; `undefined` while all is well. */
  get failure(): string | undefined {
    return this.firstFailure;
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
  get paced(): boolean {
    return this.config.paced;
  }
  /** Paced: the simulated device's buffer; unpaced: 0 (a sample is "heard" where it is in the file). */
  get outputLatency(): number {
    return this.config.paced ? (this.config.bufferChunks * this.framesPerChunk) / this.sampleRate : 0;
  }

  /** Create the file and write an empty header. @throws UserError when the file cannot be created. */
  async start(): Promise<void> {
    if (this.file || this.closed) throw new Error('WavFileSink: start() called twice');
    const { path } = this.config;
    try {
      this.file = await this.openFile(path);
      writeWavHeader(this.header, this.config.format, this.channels, this.sampleRate, 0);
      const { error } = await writeAll(this.file, this.header, 0, WAV_HEADER_BYTES, 0);
      if (error) throw Object.assign(new Error(error), { code: error });
    } catch (e) {
      await this.file?.close().catch(() => undefined);
      this.file = undefined;
      const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new UserError(`${path}: cannot create WAV file (${reason})`);
    }
  }

  /** Append one chunk; see {@link AudioSink.write}. In paced mode this resolves on the wall clock. */
  write(chunk: Float32Array): Promise<void> {
    checkChunk(this, chunk);
    if (this.closed) throw new Error('WavFileSink: write() after close()');
    if (!this.file) throw new Error('WavFileSink: write() before start()');
    if (this.pending) throw new Error('WavFileSink: write() called before the previous write resolved');
    this.encode(chunk); // copy now: the caller may reuse `chunk` as soon as this returns
    const p = this.append().finally(() => {
      this.pending = undefined;
    });
    this.pending = p;
    return p;
  }

  /** Declare everything written in the header and close the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pending;
    await this.behind?.drain();
    const file = this.file;
    this.file = undefined;
    if (!file) return;
    if (this.failed) {
      // Bytes of a chunk that did not fit are on disk past the declared data: cut them off, so the
      // file is exactly a header and the samples it declares.
      await file.truncate(WAV_HEADER_BYTES + this.dataBytes()).catch(() => undefined);
    }
    await this.updateHeader(file);
    await file.close().catch((e: NodeJS.ErrnoException) => this.fail(`closing ${this.config.path}: ${e.code ?? e.message}`));
  }

  private async append(): Promise<void> {
    const { paced, framesPerChunk, bufferChunks } = this.config;
    if (!paced) {
      await this.appendBytes(this.staging);
      return;
    }
    // The clock starts at the first chunk: a producer still warming up after start() is not late.
    if (this.stats.framesWritten === 0) this.clock.reset();
    else await this.fillGap();
    await this.appendBytes(this.staging);
    await this.clock.waitForFrame(this.framesOnClock - bufferChunks * framesPerChunk);
  }

  /**
   * A device whose producer is late plays silence; do the same so the file keeps wall time (a
   * headless show's recording then lines up with anything timed on the wall clock).
   */
  private async fillGap(): Promise<void> {
    const lateMs = this.clock.lateness(this.framesOnClock);
    if (lateMs <= 0) return;
    this.stats.underflows++;
    const n = this.framesPerChunk;
    const chunks = Math.ceil((lateMs * this.sampleRate) / 1000 / n);
    for (let i = 0; i < chunks; i++) await this.appendBytes(this.silence, false);
    this.stats.insertedFrames += chunks * n;
  }

  /**
   * One chunk onto the clock's timeline. Paced, it goes through the write-behind ring, so the
   * simulated device keeps time while the disk (or the thread pool it waits on) is slow; unpaced,
   * straight to the file. `fromProducer`: counted in `framesWritten` (inserted silence is not).
   */
  private async appendBytes(bytes: Buffer, fromProducer = true): Promise<void> {
    this.framesOnClock += this.framesPerChunk;
    if (fromProducer) this.stats.framesWritten += this.framesPerChunk;
    if (this.failed) return;
    if (this.behind) await this.behind.append(bytes);
    else await this.writeBlock(bytes, 0, bytes.length);
  }

  /**
   * Chunks to the end of the file (and the header every `headerIntervalFrames`). On a failed or
   * short write the file keeps the whole chunks that landed; close() cuts off a torn one.
   */
  private async writeBlock(buffer: Buffer, offset: number, length: number): Promise<void> {
    const file = this.file;
    if (this.failed || !file) return;
    const { written, error } = await writeAll(file, buffer, offset, length, WAV_HEADER_BYTES + this.dataBytes());
    this.framesInFile += Math.floor(written / this.chunkBytes) * this.framesPerChunk;
    if (error) {
      this.fail(`${this.config.path}: cannot write (${error}); the recording stops here`);
      return;
    }
    if (this.framesInFile - this.framesAtHeader >= this.config.headerIntervalFrames) await this.updateHeader(file);
  }

  /** Bytes of samples the file holds in whole chunks. */
  private dataBytes(): number {
    return this.framesInFile * this.channels * bytesPerSample(this.config.format);
  }

  private async updateHeader(file: SinkFile): Promise<void> {
    writeWavHeader(this.header, this.config.format, this.channels, this.sampleRate, this.dataBytes());
    const { error } = await writeAll(file, this.header, 0, WAV_HEADER_BYTES, 0);
    if (error) this.fail(`${this.config.path}: cannot update the WAV header (${error})`);
    else this.framesAtHeader = this.framesInFile;
  }

  /** Count and report a show-time file error once; later chunks are dropped, the clock keeps going. */
  private fail(message: string): void {
    this.stats.errors++;
    if (this.failed) return;
    this.failed = true;
    this.firstFailure = message;
    this.warn(`WAV output: ${message}`);
  }

  /** Interleaved float samples to little-endian bytes in `staging` (WAV is little-endian on any host). */
  private encode(chunk: Float32Array): void {
    const view = this.stagingView;
    if (this.config.format === 'float32') {
      for (let i = 0; i < chunk.length; i++) view.setFloat32(i * 4, chunk[i], true);
    } else {
      // Same scaling and clipping as engine/io/wav.ts writeWav, so both writers agree bit for bit.
      for (let i = 0; i < chunk.length; i++) {
        const v = Math.round(chunk[i] * 32768);
        view.setInt16(i * 2, Number.isNaN(v) ? 0 : v > 32767 ? 32767 : v < -32768 ? -32768 : v, true);
      }
    }
  }
}

/**
 * Writes `length` bytes of `bytes` from `offset` at `position`. A full disk can accept part of a
 * write before refusing the rest; the short count is not an error by itself, so the remainder is
 * written until it is one. Returns how many bytes landed, and the error's code if one stopped it.
 */
async function writeAll(file: SinkFile, bytes: Buffer, offset: number, length: number, position: number): Promise<{ written: number; error?: string }> {
  let written = 0;
  try {
    while (written < length) {
      const { bytesWritten } = await file.write(bytes, offset + written, length - written, position + written);
      if (bytesWritten <= 0) return { written, error: 'ENOSPC' };
      written += bytesWritten;
    }
    return { written };
  } catch (e) {
    return { written, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}
