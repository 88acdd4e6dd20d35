/**
 * Child-process side of the PortAudio tests: plays a scripted signal through a PortAudioSink and
 * reports timings and stats to the parent over the IPC channel.
 *
 * Why a child process: PortAudio reads the ALSA/PulseAudio environment when it initialises, and
 * naudiodon prints to stdout, so the sink runs in a process started with the private PulseAudio
 * environment, and results travel over IPC rather than stdout.
 *
 * Run as: node --import tsx portAudioPlayer.ts '<PlayerScript JSON>'
 */
import { PortAudioSink, type PortAudioSinkOptions, type PortAudioSinkStats } from '../../../engine/audio/portAudioSink.js';
import { runProbe, sendToParent } from '../../helpers/nativeProbe.js';

/** One step of a script. */
export type PlayerStep =
  | { readonly kind: 'tone'; readonly hz: number; readonly amplitude: number; readonly seconds: number }
  /** No writes for a while: the producer is late, the sink must fill in silence. */
  | { readonly kind: 'gap'; readonly seconds: number }
  /** Busy main thread (like a long GC pause or synchronous work): the feeder cannot run either. */
  | { readonly kind: 'block'; readonly seconds: number };

export interface PlayerScript {
  readonly sink: Omit<PortAudioSinkOptions, 'onWarning' | 'backend' | 'clock'>;
  readonly steps: readonly PlayerStep[];
}

/** Timing of one step, in ms of `performance.timeOrigin + performance.now()` (epoch ms, shared with the parent). */
export interface StepReport {
  readonly kind: PlayerStep['kind'];
  readonly startedAt: number;
  readonly endedAt: number;
  /** tone only: ms between the first write that had to wait and the last write, and chunks in between */
  readonly pacedMs?: number;
  readonly pacedChunks?: number;
  /** tone only: largest deviation of a write's resolution from the straight line through them (ms) */
  readonly maxJitterMs?: number;
  readonly statsAfter: PortAudioSinkStats;
}

export type PlayerMessage =
  | { readonly type: 'started'; readonly at: number; readonly deviceName: string; readonly queueLatency: number }
  | { readonly type: 'warning'; readonly at: number; readonly message: string }
  | { readonly type: 'done'; readonly steps: StepReport[]; readonly closeMs: number; readonly stats: PortAudioSinkStats }
  | { readonly type: 'error'; readonly message: string };

const wallNow = (): number => performance.timeOrigin + performance.now();

const send = (m: PlayerMessage): Promise<void> => sendToParent(m);

async function main(): Promise<void> {
  const script = JSON.parse(process.argv[2]) as PlayerScript;
  const sink = new PortAudioSink({ ...script.sink, onWarning: (message) => void send({ type: 'warning', at: wallNow(), message }) });
  await sink.start();
  await send({ type: 'started', at: wallNow(), deviceName: sink.deviceName, queueLatency: sink.queueLatency });

  const chunk = new Float32Array(sink.framesPerChunk * sink.channels); // one buffer for the whole run
  let phase = 0;
  const reports: StepReport[] = [];
  for (const step of script.steps) {
    const startedAt = wallNow();
    if (step.kind === 'gap') await new Promise((r) => setTimeout(r, step.seconds * 1000));
    if (step.kind === 'block') while (wallNow() - startedAt < step.seconds * 1000);
    if (step.kind !== 'tone') {
      await new Promise((r) => setImmediate(r)); // let pending native completions report their status
      reports.push({ kind: step.kind, startedAt, endedAt: wallNow(), statsAfter: { ...sink.stats } });
      continue;
    }
    const chunks = Math.round((step.seconds * sink.sampleRate) / sink.framesPerChunk);
    const dphi = (2 * Math.PI * step.hz) / sink.sampleRate;
    const resolvedAt = new Float64Array(chunks);
    for (let k = 0; k < chunks; k++) {
      for (let i = 0; i < sink.framesPerChunk; i++) {
        const v = step.amplitude * Math.sin(phase);
        phase += dphi;
        for (let c = 0; c < sink.channels; c++) chunk[i * sink.channels + c] = v;
      }
      phase %= 2 * Math.PI;
      await sink.write(chunk);
      resolvedAt[k] = performance.now();
    }
    reports.push({ kind: 'tone', startedAt, endedAt: wallNow(), ...pacing(resolvedAt), statsAfter: { ...sink.stats } });
  }
  const t = performance.now();
  await sink.close();
  await send({ type: 'done', steps: reports, closeMs: performance.now() - t, stats: { ...sink.stats } });
}

/**
 * Pacing of the writes that had to wait for the device (the first ones only fill the buffers and
 * resolve at once): total span, and jitter around the least-squares line through them.
 */
function pacing(resolvedAt: Float64Array): { pacedMs: number; pacedChunks: number; maxJitterMs: number } {
  let first = 1;
  while (first < resolvedAt.length && resolvedAt[first] - resolvedAt[first - 1] < 1) first++;
  const ts = resolvedAt.subarray(first);
  const n = ts.length;
  if (n < 2) return { pacedMs: 0, pacedChunks: 0, maxJitterMs: 0 };
  const meanK = (n - 1) / 2;
  const meanT = ts.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) {
    sxy += (k - meanK) * (ts[k] - meanT);
    sxx += (k - meanK) ** 2;
  }
  const slope = sxy / sxx;
  let maxJitterMs = 0;
  for (let k = 0; k < n; k++) maxJitterMs = Math.max(maxJitterMs, Math.abs(ts[k] - (meanT + slope * (k - meanK))));
  return { pacedMs: ts[n - 1] - ts[0], pacedChunks: n - 1, maxJitterMs };
}

runProbe(main);
