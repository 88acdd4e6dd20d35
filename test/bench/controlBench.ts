/**
 * `npm run bench:control [-- PART ...]`: command-to-heard latency through each control surface,
 * and a flood of clients, on this machine.
 *
 * - `instant`: gain 0 -> 1 through OSC (a UDP client), the WebSocket (a ws client sending
 *   {"type":"command"}) and MIDI (a mapped CC on the fake backend), to the first changed sample
 *   at a real sound card: PortAudio through a private PulseAudio null sink, captured from its
 *   monitor with parec (test/helpers/sinkCapture.ts, as bench:live). Goal: 50 ms plus the output
 *   latency.
 * - `generative`: imprint strength through each surface, at the bar (120 BPM: 2 s), played in real
 *   time into a paced file. Goal: within the quantum plus the render time.
 * - `flood`: 8 clients (4 OSC, 4 WebSocket, in a process of their own) at 100 messages a second
 *   each for BENCH_FLOOD_SECONDS (default 60) against a show playing through the null sink: faders (gain, filter) and one in
 *   ten a generative change (imprint strength). Goal: 0 underruns.
 *   A baseline run of the same length with nobody sending comes first: on a loaded machine the
 *   underruns that happen anyway are not the flood's.
 * - `flood-faders` (not in the default): the flood with faders only, no generative change, to
 *   tell the cost of handling messages from the cost of the renders they start.
 * Default: all three. Prints one JSON object per part.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type OscServer, oscSurface } from '../../control/osc/oscServer.js';
import type { EngineEvent } from '../../control/protocol/state.js';
import { type ShowOptions, openShow } from '../../engine/show/openShow.js';
import { startPulseNullSink } from '../helpers/pulseAudio.js';
import { SinkCapture, wallNow } from '../helpers/sinkCapture.js';
import { latencyStats } from './latencyStats.js';
import { type WebServer, webSurface } from '../../control/ws/webServer.js';
import { type BenchClient, midiClient, midiRig, oscClient, webClient } from './controlClients.js';

process.env.UV_THREADPOOL_SIZE ??= '16';
const parts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['instant', 'generative', 'flood'];
const machine = `${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A show with every surface on: OSC and the web port on free ports, MIDI on the fake backend. */
async function showWithSurfaces(output: ShowOptions['output'], extra: Partial<ShowOptions> = {}) {
  const rig = midiRig();
  const show = await openShow({
    output, tempoBpm: 120, surfaces: [oscSurface({ port: 0 }), webSurface({ port: 0 })],
    midi: { device: rig.device, backend: () => rig.backend, mappingDir: rig.mappingDir }, onWarning: () => {}, ...extra,
  });
  const osc = show.surfaces[0] as OscServer;
  const web = show.surfaces[1] as WebServer;
  const clients: BenchClient[] = [await oscClient(osc.port), await webClient(web.port), midiClient(rig.backend)];
  return {
    show, clients, osc, web,
    async close() {
      for (const c of clients) await c.close();
      await show.dispose();
      rmSync(rig.mappingDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the show has applied a command from `surface` of `type` after `since` events. */
async function applied(events: EngineEvent[], since: number, surface: string, type: string, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (events.slice(since).some((e) => e.type === 'command-accepted' && e.surface === surface && e.command.type === type)) return true;
    await sleep(5);
  }
  return false;
}

async function instant(perSurface: number) {
  const pulse = await startPulseNullSink();
  if (!pulse) return { skipped: 'PulseAudio (pulseaudio, parec) is not installed' };
  Object.assign(process.env, pulse.env);
  const capture = new SinkCapture(pulse);
  const rig = await showWithSurfaces({ kind: 'device', device: 'pulse' });
  const events: EngineEvent[] = [];
  rig.show.events.subscribe((e) => events.push(e));
  const sent = new Map<string, number[]>();
  try {
    const run = rig.show.run(4 + (perSurface + 1) * rig.clients.length * 1.4);
    await sleep(3000);
    // round 0 warms each path up (the first command through a surface loads its code) and is not counted
    for (let i = 0; i <= perSurface; i++) {
      for (const client of rig.clients) {
        const before = events.length;
        client.gain(0);
        await applied(events, before, client.surface, 'gain');
        await sleep(600);
        if (i > 0) sent.set(client.surface, [...(sent.get(client.surface) ?? []), wallNow()]);
        client.gain(1);
        await sleep(600);
      }
    }
    const summary = await run;
    await sleep(300);
    const perSurfaceResult = Object.fromEntries([...sent].map(([surface, times]) => {
      // the gain 1 commands (every other one, after the warm-up round)
      const engine = summary.events.filter((e) => e.type === 'gain' && e.surface === surface && e.latencySeconds !== null).slice(2).filter((_, k) => k % 2 === 1).map((e) => e.latencySeconds!);
      return [surface, { measuredAtSink: latencyStats(times.map((t) => capture.silenceEndAfter(t))), engineReported: latencyStats(engine) }];
    }));
    return {
      device: 'PulseAudio null sink via PortAudio/ALSA', outputLatencyMs: Math.round(rig.show.host.outputLatency * 1000),
      goalMs: 50 + Math.round(rig.show.host.outputLatency * 1000), perSurface: perSurfaceResult, underruns: summary.underruns,
    };
  } finally {
    await rig.close();
    capture.stop();
    await pulse.stop();
  }
}

async function generative(seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-bench-'));
  // an imprint to change the strength of, from the start
  const rig = await showWithSurfaces({ kind: 'wav', path: join(dir, 'g.wav'), realtime: true }, { script: [{ at: 0, line: 1, command: { type: 'imprint', text: 'CONTROL' } }] });
  const ready: number[] = [];
  rig.show.events.subscribe((e) => { if (e.type === 'segment-ready') ready.push(e.at); });
  try {
    const run = rig.show.run(seconds);
    // from the first segment heard on: before it, a command has nothing to be late against
    while (rig.show.engine.state().nowPlaying === null) await sleep(50);
    await sleep(1000);
    const quantumSeconds = 2; // a bar at 120 BPM, the default quantum
    for (let i = 0, t = 3; t < seconds - 10; i++, t += 5) {
      rig.clients[i % rig.clients.length]!.strength(i % 2 === 0 ? 0.9 : 0.2);
      await sleep(5000);
    }
    const summary = await run;
    const bySurface = Object.fromEntries(rig.clients.map((c) => {
      const mine = summary.events.filter((e) => e.type === 'imprint' && e.surface === c.surface);
      const renders = mine.map((e) => (ready.find((r) => r >= e.at) ?? NaN) - e.at);
      // as bench:live counts it: the boundary must still be ahead of what was handed to the output
      const bound = (k: number) => quantumSeconds + renders[k]! + rig.show.host.outputLatency;
      const within = mine.filter((e, k) => e.latencySeconds !== null && e.latencySeconds <= bound(k)).length;
      return [c.surface, { latency: latencyStats(mine.flatMap((e) => (e.latencySeconds === null ? [] : [e.latencySeconds]))), render: latencyStats(renders), withinQuantumPlusRenderPlusQueue: `${within}/${mine.length}` }];
    }));
    return { source: 'imprint', quantum: 'bar (2 s at 120 BPM)', seconds, underruns: summary.underruns, lateRepeats: summary.lateRepeats, unheard: summary.unheardEvents, perSurface: bySurface };
  } finally {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * 8 clients (test/bench/floodClients.ts, in a process of their own) at `rate` messages a second
 * each for `seconds`, through the null sink (else a paced file); `rate` 0 is the baseline: the
 * same show with nobody sending, so underruns the machine's load causes anyway are told apart
 * from the flood's.
 */
async function flood(seconds: number, rate: number, generative = true) {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-flood-'));
  const pulse = await startPulseNullSink();
  if (pulse) Object.assign(process.env, pulse.env);
  const output: ShowOptions['output'] = pulse ? { kind: 'device', device: 'pulse' } : { kind: 'wav', path: join(dir, 'f.wav'), realtime: true };
  const rig = await showWithSurfaces(output);
  const cpu0 = process.cpuUsage();
  try {
    const run = rig.show.run(seconds + 4);
    await sleep(2000);
    const script = fileURLToPath(new URL('./floodClients.js', import.meta.url));
    const clients = rate === 0 ? (await sleep(seconds * 1000), {})
      : JSON.parse((await execFileAsync(process.execPath, [script, String(rig.osc.port), String(rig.web.port), String(seconds), String(rate), generative ? '1' : '0'])).stdout) as Record<string, unknown>;
    const summary = await run;
    const cpu = process.cpuUsage(cpu0);
    return {
      output: pulse ? 'PortAudio -> PulseAudio null sink' : 'file paced in real time', seconds, ratePerClient: rate, generative, ...clients,
      applied: summary.events.length, underruns: summary.underruns, lateRepeats: summary.lateRepeats,
      osc: rig.osc.stats(), showCpuShareOfOneCore: Math.round(((cpu.user + cpu.system) / 1e6 / (seconds + 4)) * 1000) / 1000, sink: rig.show.host.stats(),
    };
  } finally {
    await rig.close();
    await pulse?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const floodSeconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 60);
console.log(JSON.stringify({ machine }));
for (const part of parts) {
  const started = performance.now();
  const result = part === 'instant' ? await instant(10)
    : part === 'generative' ? await generative(60)
      : part === 'flood' ? { baseline: await flood(floodSeconds, 0), flood: await flood(floodSeconds, 100), loadAfter: loadavg().map((x) => x.toFixed(1)).join(' ') }
        : part === 'flood-faders' ? await flood(floodSeconds, 100, false)
          : { error: `unknown part ${part} (valid: instant, generative, flood, flood-faders)` };
  console.log(JSON.stringify({ part, wallSeconds: Math.round((performance.now() - started) / 100) / 10, ...result }, null, 1));
}
process.exit(0);
