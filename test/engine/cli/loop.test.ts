import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../../engine/io/npy.js';
import { readPng, writePng } from '../../../engine/io/png.js';
import { readWav } from '../../../engine/io/wav.js';
import { synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

const OG_BEAT = fixture('riffusion/seed_images/og_beat.png');
const HOP = 441;

const cli = (...args: string[]) => synesthete('loop', ...args);

/** Runs `loop` and returns the JSON result line; fails the test on any error output. */
function loop(...args: string[]): { width: number; a: number; b: number; correlation: number; lines: string[] } {
  const r = cli(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  return { ...JSON.parse(lines[1]!), lines };
}

function expectCleanFailure(r: ReturnType<typeof cli>, name: string, outDir: string, leftover: string[] = []): void {
  expect(r.code).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(name);
  expect(readdirSync(outDir)).toEqual(leftover);
}

describe('synesthete loop', () => {
  it('cuts the og_beat loop out as a valid 512-high PNG of width b - a, with the found columns', () => {
    const dir = tempDir();
    const out = join(dir, 'loop.png');
    const r = loop(OG_BEAT, out);
    expect(r.lines[0]).toMatch(/^loop: width 255 columns \(a=190, b=445\), correlation 0\.79\d\d, loop-point columns 1\.0000$/);
    expect([r.width, r.a, r.b]).toEqual([255, 190, 445]);
    // pngjs validates CRCs and the zlib stream: a valid PNG, independently of our reader.
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([r.b - r.a, 512]);
    const src = readPng(OG_BEAT);
    const got = readPng(out);
    for (const y of [0, 200, 511]) {
      const row = (img: { width: number; rgb: Uint8Array }, x0: number) => Array.from(img.rgb.subarray((y * img.width + x0) * 3, (y * img.width + x0 + r.width) * 3));
      expect(row(got, 0)).toEqual(row(src, r.a));
    }
  });

  it('renders the loop as a WAV of exactly (b - a) * 441 samples that wraps without a jump', () => {
    const dir = tempDir();
    const out = join(dir, 'loop.wav');
    const r = loop(OG_BEAT, out, '--threads', '2');
    const wav = readWav(out);
    expect(wav.sampleRate).toBe(44_100);
    expect(wav.channels).toHaveLength(1);
    const x = wav.channels[0]!;
    expect(x.length).toBe((r.b - r.a) * HOP);
    // Circular reconstruction: the last sample leads into the first like any other neighbour pair.
    const steps = Array.from({ length: x.length - 1 }, (_, i) => Math.abs(x[i + 1]! - x[i]!)).sort((p, q) => p - q);
    expect(Math.abs(x[0]! - x[x.length - 1]!)).toBeLessThan(steps[Math.floor(steps.length * 0.99)]!);
  });

  it('keeps the eXIf and text chunks, and writes the demo strip 0:b + a:b + a:w', () => {
    const dir = tempDir();
    const input = join(dir, 'in.png');
    const exif = readPng(fixture('riffusion/tired_traveler/clip_2_stereo.png')).exif!;
    writePng(input, readPng(OG_BEAT), { exif, text: { prompt: 'steady beat' } });
    const r = loop(input, join(dir, 'loop.png'), '--demo', join(dir, 'demo.png'), '--nudge', '-5');
    expect([r.a, r.b]).toEqual([185, 440]);
    const cut = readPng(join(dir, 'loop.png'));
    expect(cut.exif?.equals(exif)).toBe(true);
    expect(cut.text).toEqual({ prompt: 'steady beat' });
    const demo = readPng(join(dir, 'demo.png'));
    expect([demo.width, demo.height]).toEqual([r.b + (r.b - r.a) + (512 - r.a), 512]);
  });

  it('loops a [1, C, H, W] latent into a .npy of the same rank', () => {
    const dir = tempDir();
    const [C, H, W, period] = [4, 8, 100, 25];
    const data = Float32Array.from({ length: C * H * W }, (_, i) => Math.sin((i % W) * 2 * Math.PI / period + Math.floor(i / W)));
    writeNpy(join(dir, 'lat.npy'), data, [1, C, H, W]);
    const r = loop(join(dir, 'lat.npy'), join(dir, 'loop.npy'));
    expect(r.width).toBe(period);
    expect(readNpy(join(dir, 'loop.npy')).shape).toEqual([1, C, H, period]);
    expectCleanFailure(cli(join(dir, 'lat.npy'), join(dir, 'loop.wav')), 'loop.wav', dir, ['lat.npy', 'loop.npy']);
  });

  it('fails cleanly on a missing input file', () => {
    const dir = tempDir();
    const missing = join(dir, 'nope.png');
    const r = cli(missing, join(dir, 'loop.png'));
    expectCleanFailure(r, missing, dir);
    expect(r.stderr).toContain('file not found');
  });

  it('fails cleanly on an unknown output extension', () => {
    const dir = tempDir();
    const r = cli(OG_BEAT, join(dir, 'loop.mp3'));
    expectCleanFailure(r, 'loop.mp3', dir);
    expect(r.stderr).toContain("unknown output type '.mp3'");
  });

  it('names the option or file for bad numbers and impossible widths', () => {
    const dir = tempDir();
    const out = join(dir, 'loop.png');
    expectCleanFailure(cli(OG_BEAT, out, '--min-width', '1e2'), '--min-width', dir);
    expectCleanFailure(cli(OG_BEAT, out, '--nudge', '2.5'), '--nudge', dir);
    expectCleanFailure(cli(OG_BEAT, out, '--width', '300'), '--width 300', dir);
    const narrow = cli(OG_BEAT, out, '--min-width', '257');
    expectCleanFailure(narrow, OG_BEAT, dir);
    expect(narrow.stderr).toContain('needs at least 514 columns');
  });
});
