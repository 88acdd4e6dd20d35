import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ListenEvent } from '../../../control/protocol/state.js';
import { hzToMel } from '../../../engine/dsp/melFilterBank.js';
import { writeWav } from '../../../engine/io/wav.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../../engine/spectrogram/params.js';
import { CLI } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { PULSE_INSTALL_HINT, audioTestsDisabled, findExecutable, usePulseNullSink } from '../../helpers/pulseAudio.js';
import { WsClient } from '../../helpers/webShow.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function rowOf(hz: number): number {
  const p = DEFAULT_SPECTROGRAM_PARAMS;
  return p.numFrequencies - 1 - Math.round((hzToMel(hz) / hzToMel(p.maxFrequency)) * (p.numFrequencies + 1) - 1);
}

/** `perform --listen` as a DJ would start it, listening to a PulseAudio null sink's monitor while another program plays into the sink. */
describe.skipIf(audioTestsDisabled())('synesthete perform --listen (PulseAudio null sink monitor)', () => {
  const requirePulse = usePulseNullSink();

  it('shows a tone another program plays on the web port\'s listen events, and plays none of it back', async () => {
    const pulse = requirePulse();
    const paplay = findExecutable('paplay');
    if (!paplay) throw new Error(`paplay is missing: ${PULSE_INSTALL_HINT}`);
    const dir = tempDir();
    const wav = join(dir, 'tone.wav');
    const tone = new Float32Array(44100 * 2);
    for (let i = 0; i < tone.length; i++) tone[i] = 0.3 * Math.sin((2 * Math.PI * 3000 * i) / 44100);
    writeWav(wav, [tone, tone], 44100, 'float32');

    const port = await freePort();
    const env = { ...pulse.env, PULSE_SOURCE: `${pulse.sinkName}.monitor` };
    const child = spawn(process.execPath, [CLI, 'perform', '--listen', 'pulse', '--audio-device', 'pulse', '--buffer', '120', '--web-port', String(port), '--duration', '8'],
      { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      for (let t = 0; t < 200 && (!/listening to "pulse"/.test(stderr) || !new RegExp(`:${port}`).test(stderr)); t++) {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(stderr).toMatch(/synesthete: listening to "pulse", steering generation; Synesthete's own sound at gain 0 \(docs\/visuals\.md\)/);
      const base = `http://127.0.0.1:${port}`;
      const client = await WsClient.connect(`ws://127.0.0.1:${port}/ws`, { origin: base });
      await client.next('event', (m) => m.event.type === 'listen', 10_000);
      const played = spawnSync(paplay, [`--device=${pulse.sinkName}`, wav], { env: pulse.env, timeout: 10_000 });
      expect(played.status, String(played.stderr)).toBe(0);
      const shown = await client.next('event', (m) => {
        if (m.event.type !== 'listen') return false;
        const e = m.event as ListenEvent;
        const bytes = Buffer.from(e.columns, 'base64');
        return bytes[rowOf(3000)]! < 60;
      }, 10_000);
      expect(shown.event.type).toBe('listen');
      // the page's health panel shows the input's level (the tone peaks at 0.3, -10 dBFS; PulseAudio's
      // resampling moves the peak by a dB or two), neither silent nor clipping
      const level = await client.next('state', (m) => (m.state?.health?.listen?.peakDb ?? -200) > -20, 10_000);
      expect(level.state.health.listen).toMatchObject({ device: 'pulse', peakDb: expect.any(Number) });
      expect(level.state.health.listen!.peakDb).toBeLessThanOrEqual(-3);
      // Synesthete's own sound is at gain 0 and the input is not played back (that would feed the
      // tone round again and again): once paplay is done, the monitor falls silent
      const count = client.messages.length;
      const silent = await client.next('event', (m) => m.event.type === 'listen' && client.messages.indexOf(m) > count
        && Math.min(...Buffer.from((m.event as ListenEvent).columns, 'base64')) > 240, 5000);
      expect(silent.event.type).toBe('listen');
      client.ws.close();
      expect(await exited, stderr).toBe(0);
      expect(stderr).toMatch(/synesthete: listened to "pulse" for \d+\.\d s, \d+ input overflows, 0 input failures/);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('--list-devices names the inputs with the --listen value that picks each', async () => {
    const pulse = requirePulse();
    const r = spawnSync(process.execPath, [CLI, 'perform', '--list-devices'], { env: pulse.env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\ninputs for --listen:\n/);
    expect(r.stdout).toMatch(/pulse\s+ALSA, \d+ ch in, \d+ Hz\s+\(--listen \d+ or --listen "pulse"\)/);
  }, 60_000);
});
