import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWav } from '../../../engine/io/wav.js';
import { synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

const cli = synesthete;

/** Runs `score --json` and returns the parsed result from the last line. */
function score(image: string, audio: string): { spectralConvergence: number; columns: number } {
  const r = cli('score', image, audio, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const AGILE = fixture('riffusion/seed_images/agile.png');
const OG_BEAT = fixture('riffusion/seed_images/og_beat.png');

describe('synesthete score', () => {
  let dir: string;
  let agileWav: string;
  let noiseWav: string;

  beforeAll(() => {
    dir = tempDir();
    agileWav = join(dir, 'agile.wav');
    expect(cli('image-to-audio', AGILE, agileWav).code).toBe(0);
    noiseWav = join(dir, 'noise.wav');
    // Deterministic white noise (LCG), 5 s at 44.1 kHz.
    let s = 12345;
    const noise = Float32Array.from({ length: 5 * 44_100 }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s / 2 ** 32) * 1.6 - 0.8;
    });
    writeWav(noiseWav, [noise], 44_100, 'int16');
  });

  it('is low for audio made from the image', () => {
    const r = score(AGILE, agileWav);
    expect(r.columns).toBe(512);
    expect(r.spectralConvergence).toBeLessThan(0.2);
  });

  it('is much higher for unrelated audio (white noise, another song)', () => {
    const noise = score(AGILE, noiseWav);
    // 5 s of noise = 501 frames, fewer than the image's 512 columns.
    expect(noise.columns).toBe(501);
    expect(noise.spectralConvergence).toBeGreaterThan(0.5);
    expect(score(OG_BEAT, fixture('riffusion/tired_traveler/clip_2.wav')).spectralConvergence).toBeGreaterThan(0.5);
  });

  it('prints one text line without --json', () => {
    const r = cli('score', AGILE, agileWav);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^spectral convergence: 0\.\d{4} \(512 columns\)\n$/);
  });

  it('resamples audio at another rate to the image\'s', () => {
    const wav48 = join(dir, 'agile48k.wav');
    // The same image rendered at 48 kHz (10 ms columns either way), scored with the image's 44.1 kHz parameters.
    expect(cli('image-to-audio', AGILE, wav48, '--sample-rate', '48000').code).toBe(0);
    const r = score(AGILE, wav48);
    expect(r.columns).toBe(512);
    expect(r.spectralConvergence).toBeLessThan(0.2);
  });

  it('names the file on bad input: exit 1, one line', () => {
    const missing = join(dir, 'missing.wav');
    const r = cli('score', AGILE, missing);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(missing)]);
  });
});
