import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../../engine/io/npy.js';
import { readWav } from '../../../engine/io/wav.js';
import { joinPngChunks, parsePngChunks } from '../../../engine/io/pngChunks.js';
import { encodeSpectrogramExif } from '../../../engine/spectrogram/exif.js';
import { resolveParams } from '../../../engine/spectrogram/params.js';
import { CLI, type CliRun, synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { validPng, validWav } from '../../helpers/fuzz/fuzzCases.js';
import { audioTestsDisabled } from '../../helpers/pulseAudio.js';

/** Exit 1 and exactly one line on stderr, containing `text`, and no stack trace. */
function expectOneLine(run: CliRun, text: string | RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  if (typeof text === 'string') expect(lines[0]).toContain(text);
  else expect(lines[0]).toMatch(text);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const recipe = { source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: 0, description: 'e2e' };

/** A recorded-looking session: `seconds` of stereo audio per segment, `count` segments, and a secret next to it. */
function session(seconds = 1, count = 2, edit: (lines: Record<string, unknown>[]) => unknown[] = (l) => l): string {
  const root = tempDir();
  const dir = join(root, 'session');
  mkdirSync(join(dir, 'segments'), { recursive: true });
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'secret.wav'), validWav(44100, 2));
  const lines: Record<string, unknown>[] = [{ type: 'session', version: 1, sampleRate: 44100, started: '2026-01-01T00:00:00Z' }];
  for (let id = 1; id <= count; id++) {
    writeFileSync(join(dir, 'segments', `${id}.png`), validPng(64, 32, null));
    writeFileSync(join(dir, 'segments', `${id}.wav`), validWav(Math.round(seconds * 44100), 2));
    lines.push({ type: 'segment', t: id, id, repeat: false, png: `segments/${id}.png`, wav: `segments/${id}.wav`, recipe });
  }
  writeFileSync(join(dir, 'journal.jsonl'), edit(lines).map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return dir;
}

const withFfmpeg = audioTestsDisabled() ? it.skip : it;

describe('every file a stranger hands the CLI gets one clear line, exit 1, and nothing lost', () => {
  it('finding 1: a generate whose --latents-out is a folder keeps the outputs of the earlier run', () => {
    const g = join(tempDir(), 'g');
    const tiny = fixture('../../presets/tiny.yaml');
    expect(synesthete('generate', '--preset', tiny, '--out', g, '--seed', '1').code).toBe(0);
    const before = readFileSync(join(g, 'tiny.wav'));
    mkdirSync(join(g, 'latdir', 'x'), { recursive: true });
    const run = synesthete('generate', '--preset', tiny, '--out', g, '--seed', '2', '--latents-out', join(g, 'latdir'));
    expectOneLine(run, `${join(g, 'latdir')}: writes a NumPy array, so its name must end in .npy`);
    mkdirSync(join(g, 'latdir.npy'));
    expectOneLine(synesthete('generate', '--preset', tiny, '--out', g, '--seed', '2', '--latents-out', join(g, 'latdir.npy')),
      `${join(g, 'latdir.npy')}: cannot write output, a folder of that name exists`);
    expect(readFileSync(join(g, 'tiny.wav')).equals(before)).toBe(true);
    expect(readdirSync(g).sort()).toEqual(['latdir', 'latdir.npy', 'tiny.latents.npy', 'tiny.png', 'tiny.wav']);
  });

  it('finding 2: rehearse and render refuse a journal that points outside its folder, naming the line', () => {
    const dir = session(1, 2, (l) => { l[2]!.wav = '../outside/secret.wav'; return l; });
    const out = join(tempDir(), 'out.wav');
    expectOneLine(synesthete('render', dir, out), `${join(dir, 'journal.jsonl')}:3: wav: must be a path inside the session folder`);
    expectOneLine(synesthete('rehearse', dir, '--wav', out), `${join(dir, 'journal.jsonl')}:3: wav: must be a path inside the session folder`);
    expect(existsSync(out)).toBe(false);
  });

  it('finding 3: a null line or a 1e9 Hz header is refused with FILE:LINE; a torn tail is reported once and played', () => {
    const out = join(tempDir(), 'out.wav');
    expectOneLine(synesthete('render', session(1, 2, (l) => [l[0], 'null', ...l.slice(1)]), out), /journal\.jsonl:2: Invalid input: expected object, received null$/);
    expectOneLine(synesthete('render', session(1, 2, (l) => [{ ...l[0], sampleRate: 1e9 }, ...l.slice(1)]), out), /journal\.jsonl:1: not a Synesthete session journal \(sampleRate: Too big/);
    const torn = session(1, 2, (l) => [...l, '{"type":"segment","t":3']);
    const run = synesthete('render', torn, out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter((x) => x.includes('damaged last line'))).toHaveLength(1);
    expect(readWav(out).channels[0]!.length).toBeGreaterThanOrEqual(2 * 44100);
  });

  it('finding 4: numbers in a file\'s own metadata are range-checked: EXIF, WAV header, preset', () => {
    const dir = tempDir();
    const exif = join(dir, 'exif.png');
    writeFileSync(exif, validPng(24, 512, encodeSpectrogramExif(resolveParams({ sampleRate: 1e12 }))));
    const bigFft = join(dir, 'fft.png');
    writeFileSync(bigFft, validPng(24, 512, encodeSpectrogramExif(resolveParams({ paddedDurationMs: 1e9 }))));
    const wav = validWav();
    wav.writeUInt32LE(0xffffffff, 24);
    const rate = join(dir, 'rate.wav');
    writeFileSync(rate, wav);
    expectOneLine(synesthete('image-to-audio', exif, join(dir, 'a.wav')), 'exif.png: sample rate 1000000000000 is out of range');
    expectOneLine(synesthete('loop', exif, join(dir, 'l.wav'), '--min-width', '4'), 'exif.png: sample rate 1000000000000 is out of range');
    expectOneLine(synesthete('score', bigFft, fixture('riffusion/tired_traveler/clip_2.wav')), /fft\.png: frame of \d+ samples/);
    expectOneLine(synesthete('audio-to-image', rate, join(dir, 'r.png')), 'rate.wav: sample rate 4294967295 Hz is out of range');
    expectOneLine(synesthete('score', fixture('riffusion/seed_images/og_beat.png'), rate), 'rate.wav: sample rate 4294967295 Hz');
    const preset = join(dir, 'wide.yaml');
    writeFileSync(preset, 'models: { audio: x }\nwidth: 2147483640\nplan: [{ model: audio, prompt: a, guidance: 7 }]\n');
    expectOneLine(synesthete('generate', '--preset', preset, '--out', join(dir, 'o')), 'wide.yaml: width: Too big');
    expect(readdirSync(dir).sort()).toEqual(['exif.png', 'fft.png', 'rate.wav', 'wide.yaml']);
  });

  it('finding 5: a small PNG claiming 20000x20000 pixels is refused from its header, quickly', () => {
    const dir = tempDir();
    const chunks = parsePngChunks(validPng()).map((c) => ({ type: c.type, data: Buffer.from(c.data) }));
    chunks[0]!.data.writeUInt32BE(20000, 0);
    chunks[0]!.data.writeUInt32BE(20000, 4);
    const huge = join(dir, 'huge.png');
    writeFileSync(huge, joinPngChunks(chunks));
    const t0 = Date.now();
    expectOneLine(synesthete('image-to-audio', huge, join(dir, 'h.wav')), 'huge.png: image is 20000x20000 = 400000000 pixels');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('finding 5: loop on a long image is bounded with an honest estimate instead of running for many minutes', () => {
    const dir = tempDir();
    const long = join(dir, 'long.png');
    writeFileSync(long, validPng(20000, 512, null));
    const t0 = Date.now();
    expectOneLine(synesthete('loop', long, join(dir, 'l.png')),
      /long\.png: searching cycle widths 150 to 10000 of its 20000 columns would take about 3 minutes; give --max-width 8840 or less \(about 2 minutes\), or --width$/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expectOneLine(synesthete('loop', join(dir, 'l.png'), join(dir, 'x.png')), 'file not found'); // nothing was written
  });

  // prlimit is util-linux, an essential Debian package: no skip
  it('finding 6: a render that runs out of space exits 1 naming the file and cause, keeping an earlier output', () => {
    const dir = session(3, 2);
    const out = join(tempDir(), 'out.wav');
    writeFileSync(out, 'an earlier render');
    // a file-size limit is a full disk that only this process sees; SIGXFSZ ignored so the write fails with EFBIG
    const run = spawnSync('sh', ['-c', `trap '' XFSZ; exec prlimit --fsize=200000 "${process.execPath}" "${CLI}" render "${dir}" "${out}"`], { encoding: 'utf8' });
    expectOneLine({ code: run.status, stdout: run.stdout, stderr: run.stderr }, `${out}: cannot write (EFBIG); the recording stops here`);
    expect(readFileSync(out, 'utf8')).toBe('an earlier render');
    expect(readdirSync(join(out, '..'))).toEqual(['out.wav']);
    const summary = join(tempDir(), 'missing', 's.json');
    expectOneLine(synesthete('rehearse', dir, '--wav', join(tempDir(), 'r.wav'), '--summary', summary), `${summary}: cannot write the run summary (ENOENT)`);
  });

  withFfmpeg('finding 7: an interrupted render leaves neither its pending video nor its temporary audio behind', async () => {
    const dir = session(20, 3);
    const outDir = tempDir();
    const tmp = tempDir();
    const child = spawn(process.execPath, [CLI, 'render', dir, join(outDir, 'x.mp4'), '--size', '640x360'], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !readdirSync(outDir).some((f) => f.includes('.pending'))) await sleep(50);
    expect(readdirSync(outDir).some((f) => f.includes('.pending'))).toBe(true);
    expect(readdirSync(tmp).some((f) => f.startsWith('synesthete-render-'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(readdirSync(outDir)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('finding 8: an output name that promises another format is refused before anything is written', () => {
    const dir = tempDir();
    expectOneLine(synesthete('image-to-audio', fixture('riffusion/seed_images/og_beat.png'), join(dir, 'x.mp3')), 'x.mp3: writes a WAV file, so its name must end in .wav (not .mp3)');
    expectOneLine(synesthete('audio-to-image', fixture('riffusion/tired_traveler/clip_2.wav'), join(dir, 'x.jpg')), 'x.jpg: writes a PNG image, so its name must end in .png (not .jpg)');
    expectOneLine(synesthete('render', session(), join(dir, 'x.mp3')), 'x.mp3: writes a WAV file or an MP4 video, so its name must end in .wav or .mp4 (not .mp3)');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finding 9: a 1-column picture and an all-NaN latent are refused, not turned into empty output with exit 0', () => {
    const dir = tempDir();
    const one = join(dir, 'one.png');
    writeFileSync(one, validPng(1, 512));
    expectOneLine(synesthete('image-to-audio', one, join(dir, 'one.wav')), 'one.png: image is 1 column wide');
    const nan = join(dir, 'nan.npy');
    writeNpy(nan, new Float32Array(4 * 8 * 64).fill(NaN), [1, 4, 8, 64]);
    expectOneLine(synesthete('loop', nan, join(dir, 'loop.npy')), 'nan.npy: value 0 (of 2048) is not a finite number (NaN)');
    expect(readdirSync(dir).sort()).toEqual(['nan.npy', 'one.png']);
  });
});
