import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { audioTestsDisabled, usePulseNullSink } from '../../helpers/pulseAudio.js';

/** `perform` through the real audio stack: PortAudio -> ALSA pulse plugin -> a PulseAudio null sink, recorded. */
describe.skipIf(audioTestsDisabled())('synesthete perform through a sound card (PulseAudio null sink)', () => {
  const requirePulse = usePulseNullSink();

  // Continuity through a real sound card, with the output margin a loaded 2-core machine needs
  // (--buffer 120); the 35 ms default and its latency are measured by `npm run bench:live`.
  // Synesthete must keep the card fed: no gap of its own. The card's driver may still run dry on
  // its own (PortAudio's ALSA buffer behind naudiodon's fixed low latency, then PulseAudio): those
  // come as deviceUnderruns, about one in 10 s on this 2-core VM at any --buffer, and are
  // reported, not failed on (docs/audio-output.md).
  it('plays the imprint source through PortAudio in real time, never letting the card run dry itself', async () => {
    const pulse = requirePulse();
    const dir = tempDir();
    const summaryFile = join(dir, 'summary.json');
    const capture = pulse.record(17);
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, 'perform', '--audio-device', 'pulse', '--buffer', '120', '--duration', '14', '--summary', summaryFile],
      { env: pulse.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const wall = (Date.now() - started) / 1000;
    const [left] = await capture;
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.underruns - summary.deviceUnderruns, stderr).toBe(0);
    if (summary.deviceUnderruns > 0) expect(stderr).toContain(`${summary.underruns} underruns (${summary.deviceUnderruns} reported by the sound card)`);
    expect(summary.segmentsPlayed).toBeGreaterThanOrEqual(1);
    // real time: 6 s of audio take about 6 s (plus start-up and the device's buffering)
    expect(wall).toBeGreaterThan(5.5);
    // the beat was heard: at least 4 s of the capture carry signal (10 ms windows above -60 dBFS)
    let loud = 0;
    for (let s = 0; s + 441 <= left!.length; s += 441) {
      let e = 0;
      for (let i = s; i < s + 441; i++) e += left![i]! * left![i]!;
      if (Math.sqrt(e / 441) > 1e-3) loud++;
    }
    expect(loud / 100).toBeGreaterThan(4);
  }, 60_000);

  it('lists the outputs with the --audio-device value that picks each, and exits', async () => {
    const pulse = requirePulse();
    const child = spawn(process.execPath, [CLI, 'perform', '--list-devices'], { env: pulse.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/pulse\s+ALSA, \d+ ch, \d+ Hz\s+\(--audio-device \d+ or --audio-device "pulse"\)/);
    expect(stderr).not.toMatch(/ALSA lib/);
  }, 60_000);
});
