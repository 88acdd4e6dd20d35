/**
 * The only place that touches naudiodon (PortAudio). Everything else talks to the small
 * {@link PortAudioBackend} interface, which tests replace with a fake.
 *
 * We load naudiodon's native binding directly instead of `require('naudiodon')`, because its
 * JavaScript wrapper (index.js, v2.3.6) is what makes it awkward for a live show:
 * - it installs a SIGSEGV handler that writes `crash.log` into the current directory;
 * - its stream destroys itself on the first PortAudio status when `closeOnError` is true, and with
 *   `closeOnError: false` the native code *prints* the status ("output underflow") to stdout
 *   instead of returning it, so underflows cannot be counted;
 * - its Writable may queue our buffer by reference, which breaks reusing one buffer per chunk.
 *
 * The binding's own semantics (src/PaContext.cc, AudioIO.cc): `write(buf)` copies `buf`
 * synchronously, then runs on the libuv pool and resolves once the chunk is in a queue of
 * `maxQueue` chunks (blocking a pool thread while the queue is full); it resolves to the latest
 * PortAudio status string, or undefined. Nothing native closes the stream on a status: at this level
 * `closeOnError` only chooses between returning the status (true) and printing it (false).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import type { OutputDeviceInfo } from './outputDevices.js';

/** Parameters of one PortAudio output stream (Float32 samples, interleaved). */
export interface OutputStreamOptions {
  /** PortAudio device index; -1 for the default output. */
  readonly deviceId: number;
  /** Hz. */
  readonly sampleRate: number;
  readonly channelCount: number;
  /** Frames PortAudio asks for per callback; 0 lets the host API choose. */
  readonly framesPerBuffer: number;
  /** Chunks the native queue holds before `write()` blocks. */
  readonly maxQueue: number;
}

/** An open, started-or-not PortAudio output stream. */
export interface NativeOutputStream {
  start(): void;
  /**
   * Copy `chunk` (synchronously, before returning) and queue it; resolves once queued, with the
   * PortAudio status seen since the last write ("portAudio status - output underflow ") or undefined.
   */
  write(chunk: Buffer): Promise<string | undefined>;
  /** Stop: 'WAIT' plays what is queued first, 'ABORT' drops it. Never resolves if the device died. */
  quit(mode: 'WAIT' | 'ABORT'): Promise<void>;
}

/** Parameters of one PortAudio input stream (Float32 samples, interleaved); as for outputs. */
export type InputStreamOptions = OutputStreamOptions;

/** What one read of an input stream gives: audio, or the PortAudio status that replaced it. */
export interface InputRead {
  /** interleaved Float32 frames (empty when the stream is finishing) */
  readonly buf?: Buffer;
  /** a PortAudio status ("portAudio status - input overflow "): this read's audio was dropped */
  readonly err?: string;
  readonly finished?: boolean;
}

/** An open PortAudio input stream. */
export interface NativeInputStream {
  start(): void;
  /**
   * Resolves with the next `bytes` bytes once the device has captured them (a libuv pool thread
   * waits meanwhile). Read continuously: naudiodon's callback blocks when `maxQueue` chunks wait.
   */
  read(bytes: number): Promise<InputRead>;
  /** Stop; releases a pending read. Never resolves if the device died. */
  quit(mode: 'WAIT' | 'ABORT'): Promise<void>;
}

/** The PortAudio operations the sink and the listen input need. */
export interface PortAudioBackend {
  /** All devices PortAudio knows (enumerated when PortAudio is first initialised). Synchronous, ~50 ms. */
  getDevices(): OutputDeviceInfo[];
  /** Open (not start) an output stream. Synchronous; throws on failure. */
  openOutput(options: OutputStreamOptions): NativeOutputStream;
  /** Open (not start) an input stream. Synchronous; throws on failure. */
  openInput(options: InputStreamOptions): NativeInputStream;
}

/** The parts of naudiodon's native exports used here. */
interface NaudiodonBinding {
  getDevices(): OutputDeviceInfo[];
  create(options: { outOptions: Record<string, number | boolean> } | { inOptions: Record<string, number | boolean> }): {
    start(): void;
    write(chunk: Buffer): Promise<string | undefined>;
    read(bytes: number): Promise<InputRead>;
    quit(mode: 'WAIT' | 'ABORT'): Promise<void>;
  };
}

const SAMPLE_FORMAT_FLOAT32 = 1;
let binding: NaudiodonBinding | undefined;

/**
 * Load naudiodon's native binding (once per process) and wrap it as a {@link PortAudioBackend}.
 *
 * @throws UserError when naudiodon is missing or was never built (npm 11 skips install scripts
 *   of packages not listed in `allowScripts`).
 */
export function loadNaudiodon(): PortAudioBackend {
  if (!binding) {
    const probed = probeDevices();
    if (probed && !probed.some((d) => d.maxOutputChannels > 0 || (d.maxInputChannels ?? 0) > 0)) return withoutDevices(probed);
  }
  binding ??= loadBinding();
  const b = binding;
  return {
    getDevices: () =>
      b.getDevices().map(({ id, name, maxOutputChannels, maxInputChannels, defaultSampleRate, defaultLowOutputLatency, defaultLowInputLatency, hostAPIName }) => ({
        id,
        name,
        maxOutputChannels,
        maxInputChannels,
        defaultSampleRate,
        defaultLowOutputLatency,
        defaultLowInputLatency,
        hostAPIName,
      })),
    openOutput: (o) => {
      const io = b.create({ outOptions: streamOptions(o) });
      return { start: () => io.start(), write: (chunk) => io.write(chunk), quit: (mode) => io.quit(mode) };
    },
    openInput: (o) => {
      const io = b.create({ inOptions: streamOptions(o) });
      return { start: () => io.start(), read: (bytes) => io.read(bytes), quit: (mode) => io.quit(mode) };
    },
  };
}

function naudiodonRoot(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('naudiodon/package.json'));
  } catch {
    throw new UserError('audio output needs the naudiodon package: run `npm install`');
  }
}

function loadBinding(): NaudiodonBinding {
  const root = naudiodonRoot();
  try {
    // `bindings` is naudiodon's own dependency; resolve it from naudiodon's folder, as index.js does.
    const bindings = createRequire(`${root}/package.json`)('bindings') as (o: { bindings: string; module_root: string }) => NaudiodonBinding;
    return bindings({ bindings: 'naudiodon.node', module_root: root });
  } catch (e) {
    throw new UserError(`naudiodon's native module is not built (${(e as Error).message.split('\n')[0]}): run \`npm rebuild naudiodon\``);
  }
}

const PROBE_MARK = '@@synesthete-devices@@';

/**
 * PortAudio's device list, taken in a child process whose stderr is captured and dropped. On a
 * machine with no sound card, initialising PortAudio makes ALSA and JACK print 60 to 150 lines of
 * native noise on stderr, which no JavaScript can intercept in-process; in the child it is simply
 * not shown. `undefined` when the probe could not run (then the caller loads PortAudio itself).
 */
export function probeDevices(): OutputDeviceInfo[] | undefined {
  let root: string;
  try {
    root = naudiodonRoot();
  } catch {
    return undefined; // loadBinding reports it
  }
  const script = `const b = require(${JSON.stringify(createRequire(`${root}/package.json`).resolve('bindings'))})`
    + `({ bindings: 'naudiodon.node', module_root: ${JSON.stringify(root)} });`
    + `process.stdout.write(${JSON.stringify(PROBE_MARK)} + JSON.stringify(b.getDevices()));`;
  let r;
  try {
    r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return undefined;
  }
  if (r.signal === 'SIGABRT' || r.signal === 'SIGSEGV') {
    // PortAudio asserts on some broken ALSA configurations: loading it here would kill this process too
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    throw new UserError(`PortAudio crashed while listing audio devices (${last.slice(0, 200)}); check the ALSA configuration, or play into a file with --wav FILE`);
  }
  const at = r.status === 0 ? r.stdout.lastIndexOf(PROBE_MARK) : -1;
  try {
    return at < 0 ? undefined : (JSON.parse(r.stdout.slice(at + PROBE_MARK.length)) as OutputDeviceInfo[]);
  } catch {
    return undefined;
  }
}

/** A backend for a machine where the probe found no device: lists what it found, never touches PortAudio. */
function withoutDevices(devices: OutputDeviceInfo[]): PortAudioBackend {
  return {
    getDevices: () => devices,
    openOutput: () => {
      throw new Error('no audio output device');
    },
    openInput: () => {
      throw new Error('no audio input device');
    },
  };
}

/**
 * The options of a native stream, output or input. `closeOnError: true` returns statuses from
 * write() and read() (underflows, overflows) so they can be counted instead of printed to stdout;
 * natively this flag never closes anything (see the file comment: the closing lives in the JS
 * wrapper we do not use).
 */
function streamOptions(o: { deviceId: number; sampleRate: number; channelCount: number; framesPerBuffer: number; maxQueue: number }) {
  return {
    deviceId: o.deviceId, sampleRate: o.sampleRate, channelCount: o.channelCount, sampleFormat: SAMPLE_FORMAT_FLOAT32,
    framesPerBuffer: o.framesPerBuffer, maxQueue: o.maxQueue, closeOnError: true,
  };
}
