import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPng } from '../../../engine/io/png.js';
import { writeWav } from '../../../engine/io/wav.js';
import { decodeSpectrogramExif } from '../../../engine/spectrogram/exif.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../../engine/spectrogram/params.js';
import { expectCleanFailure, synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

const cli = synesthete;

const CLIP = fixture('riffusion/tired_traveler/clip_2.wav');

function maxPixelDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}


describe('synesthete audio-to-image', () => {
  it('--stereo reproduces Riffusion\'s clip_2_stereo.png (every pixel within 1, R = 0) with its EXIF tags', () => {
    const out = join(tempDir(), 'stereo.png');
    const r = cli('audio-to-image', CLIP, out, '--stereo');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ours = readPng(out);
    const ref = readPng(fixture('riffusion/tired_traveler/clip_2_stereo.png'));
    expect([ours.width, ours.height]).toEqual([568, 512]);
    expect(maxPixelDiff(ours.rgb, ref.rgb)).toBeLessThanOrEqual(1);
    for (let i = 0; i < ours.rgb.length; i += 3) if (ours.rgb[i] !== 0) throw new Error(`R = ${ours.rgb[i]} at byte ${i}`);

    const exif = decodeSpectrogramExif(ours.exif!);
    expect(exif.params).toEqual({ ...DEFAULT_SPECTROGRAM_PARAMS, stereo: true });
    expect(exif.params).toEqual(decodeSpectrogramExif(ref.exif!).params);
    // Riffusion's own file says 46801012.0; ours is the float32 mel maximum.
    expect(Math.abs(exif.maxValue! - 46801012) / 46801012).toBeLessThan(1e-6);
    expect(JSON.parse(ours.text.synesthete!)).toEqual({ command: 'audio-to-image', source: 'clip_2.wav', mode: 'stereo' });
  });

  it('--channel left reproduces Riffusion\'s clip_2_left.png (every pixel within 1)', () => {
    const out = join(tempDir(), 'left.png');
    const r = cli('audio-to-image', CLIP, out, '--channel', 'left');
    expect(r.code).toBe(0);
    const ours = readPng(out);
    expect(maxPixelDiff(ours.rgb, readPng(fixture('riffusion/tired_traveler/clip_2_left.png')).rgb)).toBeLessThanOrEqual(1);
    expect(decodeSpectrogramExif(ours.exif!).params.stereo).toBe(false);
  });

  it('resamples a 48 kHz float WAV to 44.1 kHz: 1 + floor(N_resampled / 441) columns, the tone in the right mel row', () => {
    const dir = tempDir();
    const wav = join(dir, 'sine48k.wav');
    const n = 72_000; // 1.5 s
    const sine = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 48_000));
    writeWav(wav, [sine], 48_000, 'float32');
    const out = join(dir, 'sine.png');
    expect(cli('audio-to-image', wav, out).code).toBe(0);
    const img = readPng(out);
    expect(img.width).toBe(1 + Math.floor(Math.ceil((n * 44_100) / 48_000) / 441));
    expect(img.height).toBe(512);

    // The darkest row of the middle column is the mel filter centred nearest 1 kHz (HTK scale, 0-10 kHz).
    const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
    const expectedBin = (mel(1000) / mel(10_000)) * 513 - 1;
    const x = img.width >> 1;
    let darkest = 0;
    for (let y = 0; y < 512; y++) if (img.rgb[(y * img.width + x) * 3]! < img.rgb[(darkest * img.width + x) * 3]!) darkest = y;
    expect(Math.abs(511 - darkest - expectedBin)).toBeLessThanOrEqual(1.5);
  });

  it('a mono WAV with --stereo gives G = B (the one channel on both sides)', () => {
    const dir = tempDir();
    const wav = join(dir, 'mono.wav');
    writeWav(wav, [Float32Array.from({ length: 22_050 }, (_, i) => Math.sin(i / 7))], 44_100, 'int16');
    const out = join(dir, 'mono.png');
    expect(cli('audio-to-image', wav, out, '--stereo').code).toBe(0);
    const { rgb } = readPng(out);
    for (let i = 0; i < rgb.length; i += 3) if (rgb[i] !== 0 || rgb[i + 1] !== rgb[i + 2]) throw new Error(`pixel ${i / 3} is not (0, g, g)`);
  });

  describe('bad input: exit 1, one line naming the file, no output', () => {
    const cases: Array<[string, (path: string) => void]> = [
      ['an empty file', (p) => writeFileSync(p, Buffer.alloc(0))],
      ['a WAV with an empty data chunk', (p) => {
        const full = readFileSync(CLIP);
        const dataAt = full.indexOf('data', 12, 'latin1');
        const head = Buffer.from(full.subarray(0, dataAt + 8));
        head.writeUInt32LE(0, dataAt + 4);
        head.writeUInt32LE(head.length - 8, 4);
        writeFileSync(p, head);
      }],
      ['a truncated WAV', (p) => writeFileSync(p, readFileSync(CLIP).subarray(0, 100_000))],
      ['a file that is not a WAV', (p) => writeFileSync(p, 'this is not audio\n')],
    ];
    for (const [what, make] of cases) {
      it(what, () => {
        const input = join(tempDir(), 'input.wav');
        make(input);
        const outDir = tempDir();
        expectCleanFailure(cli('audio-to-image', input, join(outDir, 'out.png')), input, outDir);
      });
    }

    it('a missing file', () => {
      const input = join(tempDir(), 'missing.wav');
      const outDir = tempDir();
      expectCleanFailure(cli('audio-to-image', input, join(outDir, 'out.png')), input, outDir);
    });
  });

  it('rejects --stereo with --channel, and bad parameter values, naming the option', () => {
    const outDir = tempDir();
    const out = join(outDir, 'out.png');
    expectCleanFailure(cli('audio-to-image', CLIP, out, '--stereo', '--channel', 'right'), '--channel', outDir);
    expectCleanFailure(cli('audio-to-image', CLIP, out, '--mels', '0'), '--mels "0"', outDir);
    expectCleanFailure(cli('audio-to-image', CLIP, out, '--step-ms', 'fast'), '--step-ms "fast"', outDir);
    expectCleanFailure(cli('audio-to-image', CLIP, out, '--min-freq', '5000', '--max-freq', '4000'), '--min-freq 5000', outDir);
    expectCleanFailure(cli('audio-to-image', CLIP, out, '--max-freq', '23000'), '--max-freq 23000', outDir);
  });
});
