/**
 * `npm run bench:listen`: listen mode's latency from sound in to picture out, on this machine.
 *
 * - `columns`: from a tone leaving a real PortAudio output (a private PulseAudio null sink) to the
 *   first `listen` event column showing it, with PortAudio's input recording the sink's monitor;
 *   BENCH_LISTEN_RUNS runs (default 5). This is what the projector's live view can do at best.
 * - `generation`: from a change in the music heard to the first segment that shows it being heard
 *   (its `segment-started`), for the imprint source fed by a fake input in real time, with the
 *   output a paced file (a simulated sound card); per `ahead` (1 and 2). The music is a 500 Hz tone
 *   that turns into 3 kHz; a segment "shows it" when its picture's right edge keeps the beat at
 *   3 kHz (the imprint lightens the beat wherever the music heard is silent).
 * Prints one JSON object per part.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../../control/protocol/state.js';
import { hzToMel } from '../../engine/dsp/melFilterBank.js';
import { readPng } from '../../engine/io/png.js';
import { resolveImagePath } from '../../engine/presets/resolveInit.js';
import { openShow } from '../../engine/show/openShow.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../engine/spectrogram/params.js';
import { FakeAudioInput } from '../helpers/fakeAudioInput.js';
import { startPulseNullSink } from '../helpers/pulseAudio.js';
import type { ProbeMessage } from '../engine/audio/listenProbe.js';

process.env.UV_THREADPOOL_SIZE ??= '16';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const parts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['columns', 'generation'];
const machine = `${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}`;
const RATE = 44100;

function stats(xs: number[]): { n: number; min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, min: r(s[0] ?? NaN), median: r(s[Math.floor(s.length / 2)] ?? NaN), max: r(s.at(-1) ?? NaN) };
}

function rowOf(hz: number): number {
  const p = DEFAULT_SPECTROGRAM_PARAMS;
  return p.numFrequencies - 1 - Math.round((hzToMel(hz) / hzToMel(p.maxFrequency)) * (p.numFrequencies + 1) - 1);
}

/** Sound to column through PulseAudio, in a child (PortAudio's environment), as the e2e test does. */
async function columns() {
  const pulse = await startPulseNullSink();
  if (!pulse) throw new Error('bench:listen columns needs PulseAudio (apt-get install pulseaudio libasound2-plugins alsa-utils)');
  const env = { ...pulse.env, PULSE_SOURCE: `${pulse.sinkName}.monitor` };
  // the e2e test's probe, run from its source (tsx is a dev dependency, as for the tests)
  const probe = join(root, 'test/engine/audio/listenProbe.ts');
  const latencies: number[] = [];
  try {
    for (let run = 0; run < Number(process.env.BENCH_LISTEN_RUNS ?? 5); run++) {
      const tones = [{ hz: 0, seconds: 1 }, { hz: 2000, seconds: 0.5 }, { hz: 0, seconds: 0.5 }];
      const r = await new Promise<ProbeMessage>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', probe, JSON.stringify({ input: 'pulse', output: 'pulse', tones })], { cwd: root, env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
        let m: ProbeMessage | undefined;
        child.on('message', (x: ProbeMessage) => (m = x));
        child.once('exit', () => (m ? resolve(m) : reject(new Error('listen probe gave no result'))));
      });
      if (r.type !== 'done') throw new Error(r.message);
      const row = rowOf(2000);
      const first = r.events.find((e) => e.darkest.some(([rr, v]) => v < 80 && Math.abs(rr - row) <= 3));
      if (first) latencies.push(first.at - (r.toneStarts[1]! + r.outputLatency * 1000));
    }
  } finally {
    await pulse.stop();
  }
  return { part: 'columns', machine, load: loadavg().map((x) => Math.round(x * 10) / 10), latencyMs: stats(latencies) };
}

/** Music change to the first segment heard that shows it, imprint source, real time. */
async function generation(ahead: number, seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-bench-'));
  const input = new FakeAudioInput(RATE, 2, 512);
  const show = await openShow({ output: { kind: 'wav', path: join(dir, 'l.wav'), realtime: true }, listen: { input }, ahead });
  const beat = readPng(resolveImagePath('seed:og_beat', 'bench')).rgb;
  const band = rowOf(3000);
  /** the picture's last 16 columns keep the beat exactly in the 3 kHz row: the music heard had 3 kHz there */
  const shows3k = (rgb: Uint8Array) => {
    let diff = 0;
    for (let x = 496; x < 512; x++) diff += Math.abs(rgb[(band * 512 + x) * 3]! - beat[(band * 512 + x) * 3]!);
    return diff / 16 < 1;
  };
  const showing = new Set<number>();
  let switchFrame: number | undefined;
  let firstHeard: number | undefined;
  show.events.subscribe((e: EngineEvent) => {
    if (e.type === 'segment-ready' && shows3k(e.picture.rgb)) showing.add(e.segmentId);
    if (e.type === 'segment-started' && !e.repeat && showing.has(e.segmentId) && switchFrame !== undefined && firstHeard === undefined) firstHeard = e.frame;
  });
  // the input, fed in real time: 500 Hz until `switchAt`, then 3 kHz
  const switchAt = seconds / 2;
  const chunk = new Float32Array(512 * 2);
  let fed = 0;
  const t0 = performance.now();
  const feeder = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) / 1000) * RATE);
    while (fed + 512 <= due) {
      for (let i = 0; i < 512; i++) {
        const t = (fed + i) / RATE;
        chunk[2 * i] = chunk[2 * i + 1] = 0.3 * Math.sin(2 * Math.PI * (t < switchAt ? 500 : 3000) * t);
      }
      if (switchFrame === undefined && (fed + 512) / RATE >= switchAt) switchFrame = show.engine.clock().frame;
      input.feed(chunk);
      fed += 512;
    }
  }, 5);
  try {
    await show.run(seconds);
  } finally {
    clearInterval(feeder);
    await show.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  const latency = firstHeard !== undefined && switchFrame !== undefined ? Math.round(((firstHeard - switchFrame) / RATE) * 1000) / 1000 : null;
  return { part: 'generation', machine, load: loadavg().map((x) => Math.round(x * 10) / 10), source: 'imprint', ahead, seconds, latencySeconds: latency };
}

for (const part of parts) {
  if (part === 'columns') console.log(JSON.stringify(await columns()));
  else if (part === 'generation') {
    for (const ahead of [1, 2]) console.log(JSON.stringify(await generation(ahead, Number(process.env.BENCH_LISTEN_SECONDS ?? 40))));
  } else throw new Error(`unknown part ${part} (columns, generation)`);
}
process.exit(0);
