/**
 * A private PulseAudio daemon with a null sink, so audio-output tests play through a real,
 * real-time-paced device path (PortAudio → ALSA `pulse` plugin → PulseAudio) on machines with no
 * sound card, and can record what came out from the sink's monitor.
 *
 * Everything lives in a fresh temp directory (runtime dir, socket, state); nothing touches the
 * user's own PulseAudio or home directory. Works as root in a container (PulseAudio only warns).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';

/** What to tell someone whose machine lacks the tools. */
export const PULSE_INSTALL_HINT =
  'the audio-output tests need PulseAudio and the ALSA pulse plugin: `apt-get install pulseaudio libasound2-plugins alsa-utils` ' +
  '(or set SYNESTHETE_NO_AUDIO_TESTS=1 to skip them deliberately)';

/** True when the audio-device tests were switched off explicitly (the only way to skip them). */
export function audioTestsDisabled(): boolean {
  return process.env.SYNESTHETE_NO_AUDIO_TESTS === '1';
}

/** Absolute path of an executable found on PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** A running private PulseAudio null sink. */
export interface PulseNullSink {
  /** Environment for clients (PortAudio via ALSA's pulse plugin, parec): `process.env` plus the private server. */
  readonly env: NodeJS.ProcessEnv;
  /** The null sink's name (also the default sink). */
  readonly sinkName: string;
  /** Hz, of the sink and of recordings. */
  readonly sampleRate: number;
  /** Record the sink's monitor for `seconds` of wall time: one Float32Array per channel (2). */
  record(seconds: number): Promise<Float32Array[]>;
  /** Kill the daemon abruptly, as if the device vanished. */
  crash(): Promise<void>;
  /** Start the daemon again on the same socket after `crash()`. */
  revive(): Promise<void>;
  /** Stop everything and delete the temp directory. */
  stop(): Promise<void>;
}

const SINK = 'synesthete_null';
const RATE = 44100;

/**
 * Start a private PulseAudio daemon with a float32 stereo 44.1 kHz null sink.
 *
 * Besides the daemon this keeps a `parec --latency-msec=10` reading the monitor for the whole
 * session: an idle null sink renders in 2 s blocks, so without a low-latency client the first
 * write of a new stream, or the first after an underrun, can stall up to 2 s. With it, the sink
 * consumes audio in ~10 ms steps like a sound card.
 *
 * @returns undefined only when `pulseaudio` or `parec` is not installed; any other failure throws
 *   with the daemon's log.
 */
export async function startPulseNullSink(): Promise<PulseNullSink | undefined> {
  const pulseaudio = findExecutable('pulseaudio');
  const parec = findExecutable('parec');
  if (!pulseaudio || !parec) return undefined;

  const dir = mkdtempSync(join(tmpdir(), 'synesthete-pulse-'));
  const runtime = join(dir, 'runtime');
  mkdirSync(runtime, { mode: 0o700 });
  const socket = join(dir, 'native');
  const clientConf = join(dir, 'client.conf');
  // No autospawn: when a test kills the daemon, clients must see it gone, not start a default one.
  writeFileSync(clientConf, 'autospawn = no\nenable-shm = no\n');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_RUNTIME_DIR: runtime,
    PULSE_SERVER: `unix:${socket}`,
    PULSE_CLIENTCONFIG: clientConf,
    PULSE_COOKIE: join(dir, 'cookie'), // absent on purpose: the socket allows anonymous clients
    PULSE_SINK: SINK,
  };
  const daemonEnv: NodeJS.ProcessEnv = {
    ...env,
    HOME: join(dir, 'home'), // PulseAudio writes a cookie and state under HOME; keep them in here
    XDG_CONFIG_HOME: join(dir, 'home', '.config'),
    PULSE_STATE_PATH: join(dir, 'state'),
  };

  let daemon: ChildProcess | undefined;
  let pacer: ChildProcess | undefined;
  let log = '';

  async function startDaemon(): Promise<void> {
    log = '';
    rmSync(socket, { force: true }); // a crashed daemon leaves its socket behind
    const d = spawn(
      pulseaudio!,
      [
        '--daemonize=no',
        '-n', // no default.pa: only the modules below
        // Never idle while we run (the pacer below stays connected); if this process is killed,
        // the pacer dies on its broken stdout pipe and the orphaned daemon exits 5 s later.
        '--exit-idle-time=5',
        '--use-pid-file=no',
        '--system=false',
        '--realtime=no',
        '--high-priority=no',
        '--disable-shm=yes',
        '--log-target=stderr',
        `--load=module-null-sink sink_name=${SINK} rate=${RATE} channels=2 format=float32le`,
        `--load=module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
      ],
      { env: daemonEnv, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    d.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    daemon = d;
    await waitForSocket(socket, d, () => log);
    pacer = spawn(parec!, parecArgs(), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // The sink switches to the pacer's 10 ms latency at the end of its current (up to 2 s) block,
    // which is also when the pacer gets its first data: wait for that.
    await firstData(pacer, 5000);
    pacer.stdout!.resume();
  }

  async function killAll(signal: NodeJS.Signals): Promise<void> {
    const procs = [pacer, daemon].filter((p): p is ChildProcess => p !== undefined);
    pacer = daemon = undefined;
    await Promise.all(procs.map((p) => terminate(p, signal)));
  }

  const onExit = (): void => {
    pacer?.kill('SIGKILL');
    daemon?.kill('SIGKILL');
  };
  process.once('exit', onExit);

  try {
    await startDaemon();
  } catch (e) {
    await killAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    env,
    sinkName: SINK,
    sampleRate: RATE,
    record: (seconds) => record(parec, env, seconds),
    crash: () => killAll('SIGKILL'),
    revive: startDaemon,
    async stop() {
      process.removeListener('exit', onExit);
      await killAll('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function parecArgs(): string[] {
  return [`--device=${SINK}.monitor`, '--format=float32le', `--rate=${RATE}`, '--channels=2', '--latency-msec=10', '--raw'];
}

/** Record the monitor for `seconds`, then deinterleave. */
async function record(parec: string, env: NodeJS.ProcessEnv, seconds: number): Promise<Float32Array[]> {
  const p = spawn(parec, parecArgs(), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const parts: Buffer[] = [];
  let err = '';
  p.stdout!.on('data', (b: Buffer) => parts.push(b));
  p.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => p.once('close', (code) => resolve(code)));
  await Promise.race([sleep(seconds * 1000), exited]);
  if (p.exitCode !== null) throw new Error(`parec exited early (${p.exitCode}): ${err.trim()}`);
  p.kill('SIGTERM');
  await exited;
  const bytes = Buffer.concat(parts);
  const frames = Math.floor(bytes.length / 8);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = bytes.readFloatLE(i * 8);
    right[i] = bytes.readFloatLE(i * 8 + 4);
  }
  return [left, right];
}

/** Wait until the daemon accepts connections on its socket, or fail with its log. */
async function waitForSocket(socket: string, daemon: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null || daemon.signalCode !== null) {
      throw new Error(`pulseaudio exited (${daemon.exitCode ?? daemon.signalCode}):\n${log()}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection(socket);
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`pulseaudio did not open ${socket} within 10 s:\n${log()}`);
}

async function firstData(p: ChildProcess, timeoutMs: number): Promise<void> {
  let err = '';
  p.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const got = await Promise.race([
    new Promise<boolean>((resolve) => p.stdout!.once('data', () => resolve(true))),
    new Promise<boolean>((resolve) => p.once('close', () => resolve(false))),
    sleep(timeoutMs).then(() => false),
  ]);
  if (!got) throw new Error(`parec got no audio from the null sink within ${timeoutMs} ms: ${err.trim()}`);
}

/** Signal a child and wait for it to exit (SIGKILL after 3 s). */
async function terminate(p: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill(signal);
  const done = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
  if (!done) {
    p.kill('SIGKILL');
    await exited;
  }
}

/**
 * One private PulseAudio null sink for the tests of a `describe` block: started before them,
 * stopped after. Returns the getter the tests call; it fails, naming the packages, when
 * PulseAudio is not installed (an audio test never passes without sound).
 */
export function usePulseNullSink(): () => PulseNullSink {
  let pulse: PulseNullSink | undefined;
  beforeAll(async () => {
    pulse = await startPulseNullSink();
  });
  afterAll(async () => {
    await pulse?.stop();
  });
  return () => {
    if (!pulse) throw new Error(`PulseAudio is not installed: ${PULSE_INSTALL_HINT}`);
    return pulse;
  };
}
