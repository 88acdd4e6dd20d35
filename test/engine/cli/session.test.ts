import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../engine/live/session/sessionJournal.js';
import { readWav } from '../../../engine/io/wav.js';
import { CLI, synesthete } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { audioTestsDisabled } from '../../helpers/pulseAudio.js';

function sameSamples(a: Float32Array, b: Float32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('sessions: perform --record, rehearse, render', () => {
  it('rehearsing a recorded session gives the same audio, sample for sample', () => {
    const dir = tempDir();
    const events = join(dir, 'set.jsonl');
    writeFileSync(events, '{"at": 1, "command": {"type": "imprint", "text": "HELLO"}}\n{"at": 6, "command": {"type": "source", "name": "images"}}\n');
    const session = join(dir, 'session');
    const live = join(dir, 'live.wav');
    const run = synesthete('perform', '--wav', live, '--duration', '12', '--events', events, '--record', session);
    expect(run.code, run.stderr).toBe(0);
    const journal = readJournal(session);
    expect(journal.filter((e) => e.type === 'command').map((e) => (e as { command: { type: string } }).command.type)).toEqual(['imprint', 'source']);
    const segments = journal.filter((e) => e.type === 'segment');
    expect(segments.length).toBeGreaterThanOrEqual(3);
    for (const s of segments) expect(existsSync(join(session, (s as { png: string }).png))).toBe(true);

    const rehearsed = join(dir, 'rehearsed.wav');
    expect(synesthete('rehearse', session, '--wav', rehearsed).code).toBe(0);
    const rendered = join(dir, 'rendered.wav');
    expect(synesthete('render', session, rendered).code).toBe(0);
    const a = readWav(live).channels, b = readWav(rehearsed).channels, c = readWav(rendered).channels;
    const n = Math.min(a[0]!.length, b[0]!.length);
    expect(n).toBeGreaterThan(11 * 44100);
    for (const ch of [0, 1]) {
      expect(sameSamples(a[ch]!, b[ch]!, n)).toBe(true);
      expect(sameSamples(b[ch]!, c[ch]!, b[ch]!.length)).toBe(true);
    }
  });

  it('rehearses a tempo-fitted session with unchanged pictures to the same audio, and ends', () => {
    const dir = tempDir();
    const session = join(dir, 'session');
    const live = join(dir, 'live.wav');
    // no commands: consecutive segments share their audio (no crossfade); 100 BPM: 4.8 s segments
    const run = synesthete('perform', '--wav', live, '--duration', '11', '--tempo', '100', '--record', session);
    expect(run.code, run.stderr).toBe(0);
    const rehearsed = join(dir, 'rehearsed.wav');
    const again = synesthete('rehearse', session, '--wav', rehearsed);
    expect(again.code, again.stderr).toBe(0);
    const a = readWav(live).channels, b = readWav(rehearsed).channels;
    // the rehearsal ends where the show ended (the journal says where)
    expect(b[0]!.length).toBe(a[0]!.length);
    const n = a[0]!.length;
    for (const ch of [0, 1]) expect(sameSamples(a[ch]!, b[ch]!, n)).toBe(true);
  });

  it('a session killed with SIGKILL mid-show still rehearses up to its last complete entry', async () => {
    const dir = tempDir();
    const session = join(dir, 'session');
    const child = spawn(process.execPath, [CLI, 'perform', '--wav', join(dir, 'live.wav'), '--realtime', '--record', session], { stdio: 'ignore' });
    // wait until at least two segments are in the journal, then kill without warning
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const file = join(session, 'journal.jsonl');
      if (existsSync(file) && (readFileSync(file, 'utf8').match(/"type":"segment"/g) ?? []).length >= 2) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const rehearsed = join(dir, 'rehearsed.wav');
    const run = synesthete('rehearse', session, '--wav', rehearsed);
    expect(run.code, run.stderr).toBe(0);
    expect(readWav(rehearsed).channels[0]!.length).toBeGreaterThan(2 * 225000);
  });

  it('refuses to record over an existing session and names the folder', () => {
    const dir = tempDir();
    const session = join(dir, 'session');
    mkdirSync(session);
    writeFileSync(join(session, 'journal.jsonl'), '');
    const run = synesthete('perform', '--wav', join(dir, 'x.wav'), '--duration', '1', '--record', session);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/journal\.jsonl: a session is already recorded here/);
  });

  // ffmpeg is one of the system packages SYNESTHETE_NO_AUDIO_TESTS=1 lets a machine go without
  (audioTestsDisabled() ? it.skip : it)('renders a session to a video of the scrolling spectrogram with its audio (ffmpeg)', () => {
    const dir = tempDir();
    const session = join(dir, 'session');
    expect(synesthete('perform', '--wav', join(dir, 'live.wav'), '--duration', '6', '--record', session).code).toBe(0);
    const video = join(dir, 'set.mp4');
    const run = synesthete('render', session, video, '--size', '320x180', '--fps', '10');
    expect(run.code, run.stderr).toBe(0);
    const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,width,height:format=duration', '-of', 'json', video], { encoding: 'utf8' });
    const info = JSON.parse(probe.stdout) as { streams: Array<{ codec_type: string; width?: number }>; format: { duration: string } };
    expect(info.streams.map((st) => st.codec_type).sort()).toEqual(['audio', 'video']);
    expect(info.streams.find((st) => st.codec_type === 'video')?.width).toBe(320);
    // the 6 s show, as long as it was played
    expect(Number(info.format.duration)).toBeGreaterThan(5.8);
    const bad = synesthete('render', session, join(dir, 'x.avi'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/x\.avi: writes a WAV file or an MP4 video, so its name must end in \.wav or \.mp4 \(not \.avi\)/);
  });
});
