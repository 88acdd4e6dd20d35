/**
 * The one interface every audio output implements: a PortAudio device ({@link PortAudioSink}
 * in `portAudioSink.ts`) or a WAV file for headless runs ({@link WavFileSink} in `wavFileSink.ts`).
 *
 * The producer (the engine's playback loop) owns the musical timeline and pushes fixed-size
 * chunks; the sink owns the clock. Because `write()` resolves only when the sink can take the
 * next chunk, a producer that simply does `await sink.write(chunk)` in a loop runs at the
 * device's pace and never needs a timer of its own.
 *
 * @example
 * ```ts
 * const sink = new WavFileSink({ path: 'out.wav', sampleRate: 44100, channels: 2, framesPerChunk: 512, paced: false });
 * await sink.start();
 * const chunk = new Float32Array(sink.framesPerChunk * sink.channels); // reused for every chunk
 * for (let i = 0; i < 100; i++) {
 *   render(chunk); // fill interleaved L R L R ...
 *   await sink.write(chunk);
 * }
 * await sink.close();
 * ```
 */
export interface AudioSink {
  /** Frames per second (Hz) of the chunks passed to `write()`. */
  readonly sampleRate: number;
  /** Interleaved channels per frame. */
  readonly channels: number;
  /** Frames in every chunk passed to `write()`; a chunk holds `framesPerChunk * channels` samples. */
  readonly framesPerChunk: number;
  /** Live counters, updated in place (read them any time; do not mutate). */
  readonly stats: Readonly<SinkStats>;
  /**
   * Seconds from a chunk's `write()` to its first sample being heard (the buffering after the
   * producer: queues, the device's own buffer). 0 for an unpaced file. The played position is
   * `framesWritten - outputLatency * sampleRate`.
   */
  readonly outputLatency: number;
  /** true when `write()` runs at the pace of a clock (a sound card, a paced file) */
  readonly paced: boolean;
  /**
   * The played position: the frame being heard now and the wall time (ms since the epoch,
   * `performance.timeOrigin + performance.now()`) it was taken at. See {@link playedPosition}.
   */
  position(): PlayedPosition;
  /**
   * Open the output. Setup errors (unknown device, unwritable path) reject with a `UserError`
   * that names the bad value, per the "fail loudly at setup" rule.
   */
  start(): Promise<void>;
  /**
   * Queue one chunk: interleaved samples in [-1, 1], exactly `framesPerChunk * channels` long.
   *
   * The sink copies the samples before returning, so the caller may reuse `chunk` at once (the
   * realtime path is meant to run on one preallocated buffer). The promise resolves when the sink
   * can take the next chunk: for a paced sink this is the playback clock. Await it before the
   * next `write()`; overlapping writes are a programming error and throw.
   *
   * Show-time device trouble never rejects: it is counted in `stats` and reported through the
   * sink's warning callback, and writes keep being accepted.
   */
  write(chunk: Float32Array): Promise<void>;
  /** Flush what was written, release the output, and make further writes throw. Idempotent. */
  close(): Promise<void>;
}

/** Where the output is: `frame` is being heard at wall time `wallMs`. */
export interface PlayedPosition {
  readonly frame: number;
  readonly wallMs: number;
}

/** The position of a sink that holds `outputLatency` seconds after what was written. */
export function playedPosition(sink: Pick<AudioSink, 'stats' | 'outputLatency' | 'sampleRate'>): PlayedPosition {
  return {
    frame: Math.max(0, sink.stats.framesWritten - Math.round(sink.outputLatency * sink.sampleRate)),
    wallMs: performance.timeOrigin + performance.now(),
  };
}

/** Counters shared by all sinks. Implementations may add their own fields. */
export interface SinkStats {
  /**
   * Times the output ran dry: the producer was late (the sink had to play or insert silence),
   * or the device reported an underrun. One gap counts once, however long it lasts.
   */
  underflows: number;
  /** Frames accepted through `write()` (the producer's timeline position). */
  framesWritten: number;
  /** Device or file errors met at show time (each one also reported as a warning). */
  errors: number;
  /** Frames that could not be played (a lost device, a failed file): part of `underflows` too. */
  lostFrames?: number;
  /** Underruns the device reported itself (a sound card): part of `underflows` too. */
  deviceUnderflows?: number;
}

/**
 * Check a chunk's length against the sink's shape; a wrong length is a programming error in the
 * producer, so this throws a plain `RangeError` rather than a `UserError`.
 */
export function checkChunk(sink: AudioSink, chunk: Float32Array): void {
  const expected = sink.framesPerChunk * sink.channels;
  if (chunk.length !== expected) {
    throw new RangeError(
      `audio chunk has ${chunk.length} samples, expected ${expected} (${sink.framesPerChunk} frames x ${sink.channels} channels)`,
    );
  }
}

/**
 * Validate the shape options every sink takes. Bad values here are programming errors (user input
 * is validated where it is parsed), hence `RangeError`.
 */
export function checkSinkShape(sampleRate: number, channels: number, framesPerChunk: number): void {
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`invalid sample rate ${sampleRate}`);
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`invalid channel count ${channels}`);
  if (!Number.isInteger(framesPerChunk) || framesPerChunk < 1) throw new RangeError(`invalid framesPerChunk ${framesPerChunk}`);
}

/**
 * `options` merged over `defaults`, frozen. Keys set to `undefined` keep the default, so a caller
 * can pass optional CLI flags straight through.
 */
export function withDefaults<T extends object>(defaults: T, options: Partial<T>): Readonly<T> {
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) if (value !== undefined) merged[key] = value;
  return Object.freeze(merged as T);
}
