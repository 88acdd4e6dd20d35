import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { writePng } from '../../../engine/io/png.js';
import { readWav } from '../../../engine/io/wav.js';
import { expectCleanFailure, synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

const cli = synesthete;

const seed = (name: string) => fixture(`riffusion/seed_images/${name}.png`);
const HOP = 441;

/** Converts `image` with `args` and returns the decoded WAV; fails the test on any error output. */
function convert(image: string, ...args: string[]) {
  const out = join(tempDir(), 'out.wav');
  const r = cli('image-to-audio', image, out, ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { path: out, wav: readWav(out) };
}

/** The fmt chunk's format code and bit depth, which readWav does not report. */
function wavFormat(path: string): { code: number; bits: number } {
  const bytes = readFileSync(path);
  const at = bytes.indexOf('fmt ', 12, 'latin1');
  return { code: bytes.readUInt16LE(at + 8), bits: bytes.readUInt16LE(at + 22) };
}

function peakDbfs(channels: Float32Array[]): number {
  let peak = 0;
  for (const ch of channels) for (const v of ch) peak = Math.max(peak, Math.abs(v));
  return 20 * Math.log10(peak);
}


describe('synesthete image-to-audio', () => {
  it('og_beat (8-bit palette) -> mono 16-bit, 225351 samples, peak -0.1 dBFS, scoring below Riffusion\'s 0.195', () => {
    const { path, wav } = convert(seed('og_beat'));
    expect(wav.sampleRate).toBe(44_100);
    expect(wav.channels).toHaveLength(1);
    expect(wav.channels[0]!.length).toBe(225_351);
    expect(wavFormat(path)).toEqual({ code: 1, bits: 16 });
    expect(Math.abs(peakDbfs(wav.channels) - -0.1)).toBeLessThan(0.01);

    const score = cli('score', seed('og_beat'), path, '--json');
    expect(score.code).toBe(0);
    const { spectralConvergence, columns } = JSON.parse(score.stdout.trim().split('\n').at(-1)!);
    expect(columns).toBe(512);
    expect(spectralConvergence).toBeLessThan(0.195);
  });

  it('accepts a greyscale PNG (agile)', () => {
    expect(convert(seed('agile')).wav.channels[0]!.length).toBe(225_351);
  });

  it('accepts an RGBA PNG (alpha ignored)', () => {
    const width = 64;
    const png = new PNG({ width, height: 512 });
    for (let i = 0; i < png.data.length; i += 4) {
      const v = ((i >> 2) * 37) % 256;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = v;
      png.data[i + 3] = 128;
    }
    const input = join(tempDir(), 'rgba.png');
    writeFileSync(input, PNG.sync.write(png, { colorType: 6 }));
    const { wav } = convert(input);
    expect(wav.channels).toHaveLength(1);
    expect(wav.channels[0]!.length).toBe(HOP * (width - 1));
  });

  it('a Riffusion stereo image (EXIF stereo flag) -> 2 channels (G, B)', () => {
    const { wav } = convert(fixture('riffusion/tired_traveler/clip_2_stereo.png'));
    expect(wav.channels).toHaveLength(2);
    expect(wav.channels[0]!.length).toBe(HOP * 567);
    expect(Math.abs(peakDbfs(wav.channels) - -0.1)).toBeLessThan(0.01);
  });

  it('--saturation widens a stereo image without failing', () => {
    const { wav } = convert(fixture('riffusion/tired_traveler/clip_2_stereo.png'), '--saturation', '1.5');
    expect(wav.channels).toHaveLength(2);
  });

  it('--channels rgb -> 3 channels', () => {
    expect(convert(seed('og_beat'), '--channels', 'rgb').wav.channels).toHaveLength(3);
  });

  it('--loop -> exactly width x hop samples', () => {
    expect(convert(seed('og_beat'), '--loop').wav.channels[0]!.length).toBe(512 * HOP);
  });

  it('--float -> 32-bit float WAV', () => {
    const { path, wav } = convert(seed('og_beat'), '--float', '--iterations', '0');
    expect(wavFormat(path)).toEqual({ code: 3, bits: 32 });
    expect(Math.abs(peakDbfs(wav.channels) - -0.1)).toBeLessThan(1e-4);
  });

  describe('bad input: exit 1, one line naming the file, no output', () => {
    it('a file that is not a PNG', () => {
      const input = join(tempDir(), 'fake.png');
      writeFileSync(input, 'not a picture\n');
      const outDir = tempDir();
      expectCleanFailure(cli('image-to-audio', input, join(outDir, 'out.wav')), input, outDir);
    });

    it('a PNG whose height is not the mel bin count', () => {
      const input = join(tempDir(), 'short.png');
      writePng(input, { width: 16, height: 100, rgb: new Uint8Array(16 * 100 * 3).fill(200) });
      const outDir = tempDir();
      const r = cli('image-to-audio', input, join(outDir, 'out.wav'));
      expectCleanFailure(r, input, outDir);
      expect(r.stderr).toContain('height 100');
    });

    it('a missing file', () => {
      const input = join(tempDir(), 'missing.png');
      const outDir = tempDir();
      expectCleanFailure(cli('image-to-audio', input, join(outDir, 'out.wav')), input, outDir);
    });

    it('bad option values, naming the option', () => {
      const outDir = tempDir();
      const out = join(outDir, 'out.wav');
      expectCleanFailure(cli('image-to-audio', seed('og_beat'), out, '--iterations', '-1'), '--iterations', outDir);
      expectCleanFailure(cli('image-to-audio', seed('og_beat'), out, '--saturation', 'lots'), '--saturation', outDir);
      expectCleanFailure(cli('image-to-audio', seed('og_beat'), out, '--stereo', '--channels', 'rg'), '--channels rg', outDir);
      expectCleanFailure(cli('image-to-audio', seed('og_beat'), out, '--power', '0'), '--power', outDir);
    });
  });
});

describe('image-to-audio rejects impossible settings with one line', () => {
  it('a loop shorter than one analysis window, and an odd FFT frame', () => {
    const dir = tempDir();
    const narrow = join(dir, 'narrow.png');
    writePng(narrow, { width: 2, height: 512, rgb: new Uint8Array(2 * 512 * 3).fill(100) });
    const loop = cli('image-to-audio', narrow, join(dir, 'a.wav'), '--loop');
    expect(loop.code).toBe(1);
    expect(loop.stderr.trim().split('\n')).toEqual([expect.stringMatching(/a loop needs at least 10 columns .* this image has 2/)]);
    const odd = cli('image-to-audio', fixture('riffusion/seed_images/og_beat.png'), join(dir, 'b.wav'), '--padded-ms', '250');
    expect(odd.code).toBe(1);
    expect(odd.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--padded-ms 250 gives an odd FFT frame/)]);
    expect(readdirSync(dir)).toEqual(['narrow.png']);
  });
});
