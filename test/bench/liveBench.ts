/**
 * `npm run bench:live [-- PART ...]`: the show core against its goals, on this machine.
 *
 * - `generative`: command-to-heard latency per quantum (beat, bar, 2bars, segment) for the imprint
 *   source (5.12 s segments fitted to 120 BPM) and the tiny diffusion models, played in real time
 *   (a paced file in the audio thread, a simulated sound card). Goal: within the quantum plus the
 *   render time.
 * - `instant`: gain commands to the first changed sample at a real sound card: PortAudio through a
 *   private PulseAudio null sink, captured from its monitor with parec at 5 ms latency and
 *   timestamped on arrival. Goal: 50 ms.
 * - `soak`: BENCH_LIVE_SECONDS (default 600) with recording on and a command every 4 s (generative
 *   and instant), in real time: goal 0 underruns.
 * Default: all three. Prints one JSON object per part.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../../control/protocol/state.js';
import type { ScriptedEvent } from '../../engine/live/eventScript.js';
import { openShow } from '../../engine/show/openShow.js';
import { startPulseNullSink } from '../helpers/pulseAudio.js';
import { SinkCapture, wallNow } from '../helpers/sinkCapture.js';
import { latencyStats } from './latencyStats.js';

// as the CLI does: a playing sink keeps a libuv pool thread busy, and the recorder's fsyncs use others
process.env.UV_THREADPOOL_SIZE ??= '16';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const parts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['generative', 'instant', 'soak'];
const machine = `${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}`;

const QUANTA = ['beat', 'bar', '2bars', 'segment'] as const;

/** Generative commands every 6.5 s, cycling through the quanta; returns latency and render time per quantum. */
async function generative(kind: 'imprint' | 'diffusion', seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-bench-'));
  const script: ScriptedEvent[] = [];
  const words = ['HELLO', 'WORLD', 'BASS', 'LIGHT', 'WAVES', 'SYNESTHETE'];
  const prompts = ['jazz with piano', 'church bells on sunday', 'techno drums', 'steady beat'];
  let line = 1;
  for (let at = 3, i = 0; at < seconds - 8; at += 6.5, i++) {
    script.push({ at: at - 0.5, line: line++, command: { type: 'quantize', value: QUANTA[i % QUANTA.length]! } });
    script.push({ at, line: line++, command: kind === 'imprint' ? { type: 'imprint', text: words[i % words.length]! } : { type: 'prompt', model: 'audio', text: prompts[i % prompts.length]! } });
  }
  const show = await openShow({
    output: { kind: 'wav', path: join(dir, 'g.wav'), realtime: true }, tempoBpm: 120, script,
    ...(kind === 'diffusion' ? { preset: join(root, 'presets/tiny.yaml') } : {}),
  });
  const ready: Array<{ at: number }> = [];
  show.events.subscribe((e: EngineEvent) => { if (e.type === 'segment-ready') ready.push({ at: e.at }); });
  try {
    const summary = await show.run(seconds);
    const perQuantum: Record<string, { latency: ReturnType<typeof latencyStats>; render: ReturnType<typeof latencyStats> }> = {};
    const gen = summary.events.filter((e) => e.type === 'imprint' || e.type === 'prompt');
    QUANTA.forEach((q, qi) => {
      const mine = gen.filter((_, i) => i % QUANTA.length === qi);
      perQuantum[q] = {
        latency: latencyStats(mine.flatMap((e) => (e.latencySeconds === null ? [] : [e.latencySeconds]))),
        render: latencyStats(mine.map((e) => (ready.find((r) => r.at >= e.at)?.at ?? NaN) - e.at)),
      };
    });
    return { source: kind, seconds, underruns: summary.underruns, lateRepeats: summary.lateRepeats, unheard: summary.unheardEvents, perQuantum };
  } finally {
    await show.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Gain 0 -> 1 commands at a real sound card: seconds from the command to the first non-zero sample at the sink. */
async function instant(count: number) {
  const pulse = await startPulseNullSink();
  if (!pulse) return { skipped: 'PulseAudio (pulseaudio, parec) is not installed' };
  Object.assign(process.env, pulse.env);
  const capture = new SinkCapture(pulse);
  const show = await openShow({ output: { kind: 'device', device: 'pulse' } });
  const commands: number[] = [];
  try {
    const run = show.run(4 + count * 1.2);
    await new Promise((r) => setTimeout(r, 3000));
    for (let i = 0; i < count; i++) {
      show.engine.command({ type: 'gain', value: 0 });
      await new Promise((r) => setTimeout(r, 600));
      commands.push(wallNow());
      show.engine.command({ type: 'gain', value: 1 });
      await new Promise((r) => setTimeout(r, 600));
    }
    const summary = await run;
    await new Promise((r) => setTimeout(r, 300));
    const latencies = commands.map((t) => capture.silenceEndAfter(t));
    const engine = summary.events.filter((e) => e.type === 'gain' && e.latencySeconds !== null).map((e) => e.latencySeconds!);
    return {
      device: 'PulseAudio null sink via PortAudio/ALSA', outputLatencyMs: Math.round(show.host.outputLatency * 1000),
      measuredAtSink: latencyStats(latencies), engineReported: latencyStats(engine), underruns: summary.underruns, sink: show.host.stats(),
    };
  } finally {
    await show.dispose();
    capture.stop();
    await pulse.stop();
  }
}

/**
 * A long real-time run with recording on: through a sound card (PortAudio into a private
 * PulseAudio null sink) where PulseAudio is installed, else into a file paced like one.
 */
async function soak(seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-soak-'));
  const pulse = process.env.BENCH_SOAK_FILE === '1' ? undefined : await startPulseNullSink();
  if (pulse) Object.assign(process.env, pulse.env);
  const script: ScriptedEvent[] = [];
  let line = 1;
  for (let at = 2, i = 0; at < seconds - 10; at += 4, i++) {
    const command = i % 4 === 0 ? { type: 'imprint' as const, text: `SOAK ${i}`, strength: 0.3 + 0.1 * (i % 5) }
      : i % 4 === 1 ? { type: 'filter' as const, value: ((i % 7) - 3) / 4 }
      : i % 4 === 2 ? { type: 'gain' as const, value: 0.6 + 0.1 * (i % 4) }
      : { type: 'freeze' as const, on: i % 8 === 3 };
    script.push({ at, line: line++, command });
  }
  const output = pulse ? { kind: 'device' as const, device: 'pulse' } : { kind: 'wav' as const, path: join(dir, 'soak.wav'), realtime: true };
  const show = await openShow({ output, record: join(dir, 'session'), tempoBpm: 120, script });
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss / 2 ** 20), 1000);
  const cpu0 = process.cpuUsage();
  try {
    const summary = await show.run(seconds);
    const cpu = process.cpuUsage(cpu0);
    return {
      output: pulse ? 'PortAudio -> PulseAudio null sink' : 'file paced in real time', seconds, underruns: summary.underruns, lateRepeats: summary.lateRepeats, segmentsPlayed: summary.segmentsPlayed,
      commands: summary.events.length, unheard: summary.unheardEvents, peakRssMb: Math.round(Math.max(...rss)),
      cpuShareOfOneCore: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 1000) / 1000,
      sink: show.host.stats(), loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
    };
  } finally {
    clearInterval(sampler);
    await show.dispose();
    await pulse?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const soakSeconds = Number(process.env.BENCH_LIVE_SECONDS ?? 600);
console.log(JSON.stringify({ machine }));
for (const part of parts) {
  const started = performance.now();
  const result = part === 'generative' ? { imprint: await generative('imprint', 60), diffusion: await generative('diffusion', 60) }
    : part === 'instant' ? await instant(20)
      : part === 'soak' ? await soak(soakSeconds)
        : { error: `unknown part ${part} (valid: generative, instant, soak)` };
  console.log(JSON.stringify({ part, wallSeconds: Math.round((performance.now() - started) / 100) / 10, ...result }, null, 1));
}
process.exit(0);
