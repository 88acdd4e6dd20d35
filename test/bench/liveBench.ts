/**
 * `npm run bench:live`: a headless soak of the live engine at real-time pace (a paced WAV sink,
 * i.e. a simulated sound card), with the imprint source and with the diffusion source on the tiny
 * models, commands every few seconds. Reports underruns (goal 0), late segments, the CPU share of
 * the audio path (filling and handing over chunks) and the command latency distribution.
 * BENCH_LIVE_SECONDS sets the length of each run (default 600 = 10 minutes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScriptedEvent } from '../../control/commands/eventScript.js';
import type { RunSummary } from '../../control/commands/runSummary.js';
import { WavFileSink } from '../../engine/audio/wavFileSink.js';
import { LiveEngine } from '../../engine/live/liveEngine.js';
import type { SegmentSource } from '../../engine/live/segmentSource.js';
import { DiffusionSegmentSource } from '../../engine/live/sources/diffusionSegmentSource.js';
import { ImprintSegmentSource } from '../../engine/live/sources/imprintSegmentSource.js';
import { loadPreset } from '../../engine/presets/loadPreset.js';
import { ReconstructionPool } from '../../engine/reconstruct/reconstructionPool.js';

const seconds = Number(process.env.BENCH_LIVE_SECONDS ?? 600);
const root = fileURLToPath(new URL('../../../', import.meta.url));

function script(kind: 'imprint' | 'diffusion'): ScriptedEvent[] {
  const words = ['HELLO', 'WORLD', 'SYNESTHETE', 'BASS', 'LIGHT', 'WAVES'];
  const prompts = ['steady beat', 'jazz with piano', 'church bells on sunday', 'techno drums'];
  const events: ScriptedEvent[] = [];
  for (let at = 3, i = 0; at < seconds - 5; at += 7, i++) {
    events.push({
      at, line: i + 1,
      command: kind === 'imprint'
        ? { type: 'imprint', text: words[i % words.length]!, strength: 0.3 + 0.1 * (i % 5) }
        : i % 3 === 2 ? { type: 'seed', value: 1000 + i } : { type: 'prompt', model: 'audio', text: prompts[i % prompts.length]! },
    });
  }
  return events;
}

async function soak(kind: 'imprint' | 'diffusion'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-live-'));
  const pool = new ReconstructionPool();
  try {
    // the same ~190 ms of output buffering perform gives a sound card
    const sink = new WavFileSink({ path: join(dir, 'soak.wav'), paced: true, format: 'int16', bufferChunks: 16 });
    const open = async (): Promise<SegmentSource> => kind === 'imprint'
      ? new ImprintSegmentSource(pool)
      : DiffusionSegmentSource.open(loadPreset(join(root, 'presets/tiny.yaml')), pool);
    let audioPathMs = 0;
    const write = sink.write.bind(sink);
    // the audio path: everything between two writes on the player side (fill + bookkeeping)
    let lastWriteEnd = 0;
    sink.write = async (chunk) => {
      if (lastWriteEnd) audioPathMs += performance.now() - lastWriteEnd;
      await write(chunk);
      lastWriteEnd = performance.now();
    };
    const engine = new LiveEngine({ sink, source: kind, openSource: open });
    engine.schedule(script(kind));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const summary: RunSummary = await engine.run(seconds);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const latencies = summary.events.flatMap((e) => (e.latencySeconds === null ? [] : [e.latencySeconds])).sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(2) ?? '-';
    console.log(`${kind}: ${summary.durationSeconds.toFixed(0)} s audio in ${wall.toFixed(0)} s; underruns ${summary.underruns}, `
      + `late segments ${summary.lateSegments}, segments ${summary.segmentsPlayed} played / ${summary.segmentsGenerated} generated / ${summary.droppedSegments} dropped; `
      + `audio path ${((100 * audioPathMs) / 1000 / wall).toFixed(2)}% of one core; process CPU ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(0)}% of one core; `
      + `command latency (${latencies.length} of ${summary.events.length} heard) min ${q(0)} / median ${q(0.5)} / p95 ${q(0.95)} / max ${q(1)} s; `
      + `resident memory now ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  } finally {
    await pool.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, Node ${process.version}; ${seconds} s per run, real-time pace`);
await soak('imprint');
await soak('diffusion');
