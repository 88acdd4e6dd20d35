import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../../engine/io/wav.js';
import { CLI, synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

describe('synesthete perform (headless, imprint source, no models)', () => {
  it('plays a scripted set to a WAV with every command heard on the next bar, and what it asked for heard', () => {
    const dir = tempDir();
    const events = join(dir, 'set.jsonl');
    writeFileSync(events, [
      '{"at": 1, "command": {"type": "imprint", "text": "HELLO", "strength": 0.6}}',
      '',
      '{"at": 6.5, "command": {"type": "imprint", "text": "WORLD"}}',
      '{"at": 12, "command": {"type": "source", "name": "images"}}',
    ].join('\n'));
    const wav = join(dir, 'set.wav');
    const summaryFile = join(dir, 'summary.json');
    const run = synesthete('perform', '--wav', wav, '--duration', '20', '--events', events, '--summary', summaryFile, '--headless');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/playing the imprint source \(no models needed\).*docs\/models\.md/);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.underruns).toBe(0);
    expect(summary.unheardEvents).toBe(0);
    expect(summary.events.map((e: { type: string }) => e.type)).toEqual(['imprint', 'imprint', 'source']);
    // offline (unpaced) rendering: each command is heard on the next bar line (2 s at 120 BPM)
    expect(summary.maxEventLatencySeconds).toBeLessThanOrEqual(2 + 1e-6);
    expect(summary.events.map((e: { audibleAt: number }) => e.audibleAt)).toEqual([2, 8, 14]);
    expect(summary.segmentsPlayed).toBeGreaterThanOrEqual(4);
    // "heard" means the recipe changed: the segments that started then are what the commands asked for
    const started = [...run.stderr.matchAll(/\[(\d+\.\d+) s, bar [\d.]+\] segment \d+: (.*)/g)].map((m) => [Number(m[1]), m[2]!] as const);
    // before the first imprint the source tours the bundled loops; the performer's imprint stops the
    // tour on the beat it had reached, and the next one stays there
    expect(started.find(([t]) => t === 0)?.[1]).toMatch(/imprint "SYNESTHETE" \(tour\) on og_beat/);
    const hello = /imprint "HELLO" on (\w+), k 0\.6$/.exec(started.find(([t]) => t === 2)?.[1] ?? '');
    expect(hello, run.stderr).not.toBeNull();
    expect(started.find(([t]) => t === 8)?.[1]).toBe(`imprint "WORLD" on ${hello![1]}, k 0.6`);
    expect(started.find(([t]) => t === 14)?.[1]).toMatch(/seed_images\/\w+\.png$/);

    const audio = readWav(wav);
    expect(audio.sampleRate).toBe(44100);
    expect(audio.channels).toHaveLength(2);
    expect(Math.abs(audio.channels[0]!.length - 20 * 44100)).toBeLessThan(1024);
    // never silent: in every 100 ms window at least 80 % of the samples are above -80 dBFS (one
    // stray sample would not pass) and the level is above -66 dBFS RMS (the quietest og_beat
    // stretch is about -56 dBFS)
    const x = audio.channels[0]!;
    for (let s = 0; s + 4410 < x.length; s += 4410) {
      let e = 0, audible = 0;
      for (let i = s; i < s + 4410; i++) {
        e += x[i]! * x[i]!;
        if (Math.abs(x[i]!) > 1e-4) audible++;
      }
      expect(audible / 4410, `silence at ${s / 44100} s`).toBeGreaterThan(0.8);
      expect(Math.sqrt(e / 4410), `silence at ${s / 44100} s`).toBeGreaterThan(10 ** (-66 / 20));
    }
  });

  it('ends an offline run with one line when its source keeps failing', () => {
    const dir = tempDir();
    const images = join(dir, 'images');
    mkdirSync(images);
    writeFileSync(join(images, 'broken.png'), 'not a png');
    const run = synesthete('perform', '--source', 'images', '--images', images, '--wav', join(dir, 'x.wav'), '--duration', '5');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/the images source failed 5 times in a row \(last: .*broken\.png: not a PNG/);
  });

  it('rejects a bad events file with its file and line, before playing anything', () => {
    const dir = tempDir();
    const events = join(dir, 'bad.jsonl');
    writeFileSync(events, '{"at": 1, "command": {"type": "mix", "value": 3}}\n');
    const run = synesthete('perform', '--wav', join(dir, 'x.wav'), '--duration', '5', '--events', events);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/bad\.jsonl:1: mix\.value/)]);
    expect(existsSync(join(dir, 'x.wav'))).toBe(false);
  });
});

describe('synesthete perform --preset presets/tiny.yaml (diffusion source on the tiny test models)', () => {
  it('walks the seed between segments, moves to a new prompt over 4 segments, and makes every change audible at the next boundary', () => {
    const dir = tempDir();
    const events = join(dir, 'set.jsonl');
    writeFileSync(events, [
      '{"at": 0.5, "command": {"type": "prompt", "model": "audio", "text": "jazz with piano"}}',
      '{"at": 3, "command": {"type": "seed", "value": 42}}',
    ].join('\n'));
    const summaryFile = join(dir, 'summary.json');
    const run = synesthete('perform', '--preset', fixture('../../presets/tiny.yaml'), '--wav', join(dir, 'tiny.wav'),
      '--duration', '8', '--events', events, '--summary', summaryFile);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.underruns).toBe(0);
    expect(summary.unheardEvents).toBe(0);
    // offline, renders take no audio time: every change is heard on the next bar line (2 s at the clock's 120 BPM)
    expect(summary.maxEventLatencySeconds).toBeLessThanOrEqual(2 + 1e-6);
    for (const e of summary.events) expect((e.audibleAt / 2) % 1).toBeCloseTo(0, 4);
    // seed walk before the change; then the prompt transition at a fixed seed; a seed command restarts the walk
    expect(run.stderr).toMatch(/segment 1: tiny: "steady beat" .*seed 293918 \+ 0\.00/);
    expect(run.stderr).toMatch(/segment 2: tiny: "steady beat -> jazz with piano" .*transition 0\.25/);
    expect(run.stderr).toMatch(/"steady beat -> jazz with piano" .*seed 42, transition/);
    expect(run.stderr).toMatch(/segment \d+: tiny: "jazz with piano" .*seed 42 \+ 0\.\d\d/);
  });
});

describe('synesthete perform --tempo', () => {
  it('fits every segment to whole bars, so boundaries fall on bars, and a tempo command re-fits', () => {
    const dir = tempDir();
    const events = join(dir, 'set.jsonl');
    writeFileSync(events, '{"at": 7, "command": {"type": "tempo", "bpm": 90}}\n');
    const run = synesthete('perform', '--wav', join(dir, 't.wav'), '--duration', '20', '--tempo', '120', '--events', events);
    expect(run.code, run.stderr).toBe(0);
    const starts = [...run.stderr.matchAll(/\[(\d+\.\d+) s, bar (\d+)\.1\] segment/g)].map((m) => Number(m[1]));
    // 120 BPM: 5.12 s loops become 3 bars = 6 s. The tempo change at 7 s (bar 4 beat 3) re-fits:
    // the first 90 BPM segment starts on the next bar line of the new tempo, two beats at 90 BPM
    // later (8.333 s); a 90 BPM bar is 2.667 s and 5.12 s loops become 2 bars = 5.333 s
    expect(starts.slice(0, 2)).toEqual([0, 6]);
    expect(starts[2]).toBeCloseTo(7 + 4 / 3, 2);
    expect(starts[3]).toBeCloseTo(7 + 4 / 3 + 16 / 3, 2);
    const bad = synesthete('perform', '--wav', join(dir, 'u.wav'), '--duration', '1', '--tempo', 'fast');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--tempo "fast": expected a tempo from 20 to 300 BPM/);
  });
});

describe('the live engine acceptance run', () => {
  // 60 s at real-time pace: the one test that takes a minute, because timing is what it checks.
  it('plays 60 s of the diffusion source at real-time pace with prompt changes: 0 underruns, every command audible within a bar + render time', () => {
    const dir = tempDir();
    const events = join(dir, 'set.jsonl');
    const prompts = ['jazz with piano', 'church bells on sunday', 'techno drums', 'steady beat'];
    writeFileSync(events, prompts.flatMap((p, i) => [
      JSON.stringify({ at: 5 + 14 * i, command: { type: 'prompt', model: 'audio', text: p } }),
      JSON.stringify({ at: 11 + 14 * i, command: { type: 'seed', value: 100 + i } }),
    ]).join('\n'));
    const summaryFile = join(dir, 'summary.json');
    const run = synesthete('perform', '--preset', fixture('../../presets/tiny.yaml'), '--wav', join(dir, 'set.wav'), '--realtime',
      '--duration', '60', '--events', events, '--summary', summaryFile, '--headless');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.durationSeconds).toBeGreaterThanOrEqual(60);
    expect(summary.underruns).toBe(0);
    expect(summary.unheardEvents).toBe(0);
    expect(summary.events).toHaveLength(8);
    // a change is heard on the next bar line (2 s at the clock's 120 BPM) after its render (well under
    // a second for the tiny models): bound one bar plus 1.28 s of render
    expect(summary.maxEventLatencySeconds).toBeLessThanOrEqual(2 + 1.28);
  }, 120_000);
});

describe('synesthete perform: ending a show', () => {
  it('requires --duration for a file rendered as fast as possible, and says how to pace it instead', () => {
    const dir = tempDir();
    const run = synesthete('perform', '--wav', join(dir, 'x.wav'));
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--wav without --realtime .* give --duration SECONDS .*--realtime/)]);
    expect(existsSync(join(dir, 'x.wav'))).toBe(false);
    // a name that promises another format, and a summary that could not be saved, are refused before playing
    const mp3 = synesthete('perform', '--wav', join(dir, 'x.mp3'), '--duration', '1');
    expect(mp3.stderr.trim().split('\n')).toEqual([expect.stringMatching(/x\.mp3: writes a WAV file, so its name must end in \.wav/)]);
    const buffer = synesthete('perform', '--buffer', '5');
    expect(buffer.stderr.trim().split('\n')).toEqual(['synesthete: --buffer "5": expected a number of milliseconds from 15 to 500']);
    const unpaced = synesthete('perform', '--wav', join(dir, 'w.wav'), '--duration', '1', '--buffer', '200');
    expect(unpaced.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^synesthete: --buffer sets a real-time output queue: a --wav file without --realtime has none/)]);
    const summary = synesthete('perform', '--wav', join(dir, 'y.wav'), '--duration', '1', '--summary', join(dir, 'missing', 's.json'));
    expect(summary.stderr.trim().split('\n')).toEqual([expect.stringMatching(/s\.json: cannot write the run summary \(ENOENT\)$/)]);
    expect(existsSync(join(dir, 'x.mp3')) || existsSync(join(dir, 'y.wav'))).toBe(false);
    const offline = synesthete('perform', '--wav', join(dir, 'z.wav'), '--duration', '1', '--ableton');
    expect(offline.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^synesthete: --ableton follows Live in real time, and --wav without --realtime renders as fast as it can: add --realtime/)]);
    const clocks = synesthete('perform', '--wav', join(dir, 'z.wav'), '--realtime', '--duration', '1', '--ableton', '--midi', 'x', '--midi-clock');
    expect(clocks.stderr.trim().split('\n')).toEqual(['synesthete: --ableton and --midi-clock both steer the tempo: follow one clock (MIDI clock is the tighter, docs/control.md)']);
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)('ends cleanly on %s: a summary, a WAV whose header matches its data, a closed session', async (signal) => {
    const dir = tempDir();
    const wav = join(dir, 'live.wav');
    const summaryFile = join(dir, 'summary.json');
    const child = spawn(process.execPath, [CLI, 'perform', '--wav', wav, '--realtime', '--summary', summaryFile, '--record', join(dir, 'session')],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const deadline = Date.now() + 60_000;
    while (!/segment 1:/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.durationSeconds).toBeGreaterThan(1);
    const audio = readWav(wav);
    // the header declares every frame on disk: the file reads back whole
    expect(audio.channels[0]!.length / 44100).toBeGreaterThanOrEqual(summary.durationSeconds - 0.05);
    expect(readFileSync(join(dir, 'session', 'journal.jsonl'), 'utf8')).toMatch(/"type":"end"/);
  }, 90_000);
});
