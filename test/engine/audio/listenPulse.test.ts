import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hzToMel } from '../../../engine/dsp/melFilterBank.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../../engine/spectrogram/params.js';
import { audioTestsDisabled, usePulseNullSink } from '../../helpers/pulseAudio.js';
import type { ProbeMessage, ProbeScript } from './listenProbe.js';

// Listen mode for real: PortAudio's input (ALSA pulse plugin) recording a private PulseAudio null
// sink's monitor, while a PortAudioSink plays known tones into that sink. Fails with the install
// command when PulseAudio is missing, unless SYNESTHETE_NO_AUDIO_TESTS=1 says to skip it.

const PROBE = fileURLToPath(new URL('./listenProbe.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** The image row (0 = top) where the mel scale puts `hz`. */
function rowOf(hz: number): number {
  const p = DEFAULT_SPECTROGRAM_PARAMS;
  return p.numFrequencies - 1 - Math.round((hzToMel(hz) / hzToMel(p.maxFrequency)) * (p.numFrequencies + 1) - 1);
}

function runProbe(script: ProbeScript, env: NodeJS.ProcessEnv): Promise<Extract<ProbeMessage, { type: 'done' }>> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, JSON.stringify(script)], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  let result: ProbeMessage | undefined;
  child.on('message', (m: ProbeMessage) => (result = m));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => child.once('exit', () => {
    clearTimeout(timer);
    if (result?.type === 'done') resolve(result);
    else reject(new Error(`listen probe failed: ${result?.type === 'error' ? result.message : 'no result'}\n--- output (tail) ---\n${output.slice(-3000)}`));
  }));
}

describe.skipIf(audioTestsDisabled())('listen mode through PulseAudio (null sink monitor as the input)', () => {
  const requirePulse = usePulseNullSink();

  it('shows the tones played into the sink in their frequency bands, in order, within a fraction of a second', async () => {
    const pulse = requirePulse();
    // the ALSA pulse plugin records the server's default source: make it the sink's monitor
    const env = { ...pulse.env, PULSE_SOURCE: `${pulse.sinkName}.monitor` };
    const tones = [{ hz: 0, seconds: 1 }, { hz: 2000, seconds: 1.5 }, { hz: 500, seconds: 1.5 }, { hz: 0, seconds: 0.5 }];
    const r = await runProbe({ input: 'pulse', output: 'pulse', tones }, env);
    expect(r.device).toBe('pulse');
    expect(r.errors).toBe(0);

    let next = r.events[0]!.firstColumn;
    for (const e of r.events) {
      expect(e.firstColumn).toBe(next); // gapless
      next += e.darkest.length;
    }
    const columns = r.events.flatMap((e) => e.darkest.map(([row, value], i) => ({ at: e.at, column: e.firstColumn + i, row, value })));
    const showing = (hz: number) => columns.filter((c) => c.value < 80 && Math.abs(c.row - rowOf(hz)) <= 3);
    const high = showing(2000), low = showing(500);
    // 1.5 s of each tone = 150 columns; a few are lost to the fades between them (and to overflows on a loaded machine)
    expect(high.length).toBeGreaterThan(120 - 10 * r.overflows);
    expect(low.length).toBeGreaterThan(120 - 10 * r.overflows);
    expect(high.length).toBeLessThan(170);
    expect(high.at(-1)!.column).toBeLessThan(low[0]!.column + 10);
    // before the first tone: digital silence, white
    const before = columns.filter((c) => c.column < high[0]!.column - 15);
    expect(before.length).toBeGreaterThan(20);
    expect(before.every((c) => c.value >= 250)).toBe(true);

    // sound to picture: from the first tone chunk leaving our output queue to its column on the bus
    const heardAt = r.toneStarts[1]! + r.outputLatency * 1000;
    const latencyMs = high[0]!.at - heardAt;
    process.stderr.write(`listen latency through PulseAudio: ${latencyMs.toFixed(0)} ms from the tone leaving the output queue to its first column `
      + `(input latency ${(r.inputLatency * 1000).toFixed(1)} ms, reported per event ${(r.events.at(-1)!.latency * 1000).toFixed(0)} ms, overflows ${r.overflows})\n`);
    expect(latencyMs).toBeGreaterThan(0);
    expect(latencyMs).toBeLessThan(1000); // wide: a loaded 2-core machine; docs/performance.md has the figures
  }, 60_000);
});
