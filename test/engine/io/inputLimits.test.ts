import { spawnSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spectrogramParamsOf } from '../../../engine/convert/spectrogramParamsOf.js';
import { INPUT_LIMITS } from '../../../engine/io/inputLimits.js';
import { readInputFile } from '../../../engine/io/inputFile.js';
import { readNpy, writeNpy } from '../../../engine/io/npy.js';
import { readPng } from '../../../engine/io/png.js';
import { readWav } from '../../../engine/io/wav.js';
import { loadPreset } from '../../../engine/presets/loadPreset.js';
import { encodeSpectrogramExif } from '../../../engine/spectrogram/exif.js';
import { resolveParams, type SpectrogramParams } from '../../../engine/spectrogram/params.js';
import { validPng, validWav } from '../../helpers/fuzz/fuzzCases.js';
import { tempDir } from '../../helpers/fixtures.js';
import { userError } from '../../helpers/userError.js';
import { joinPngChunks, parsePngChunks } from '../../../engine/io/pngChunks.js';

function file(name: string, bytes: Buffer | string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

/** A tiny PNG whose IHDR claims `width` x `height` (CRC kept valid, so only the size is wrong). */
function pngClaiming(width: number, height: number): Buffer {
  const chunks = parsePngChunks(validPng()).map((c) => ({ type: c.type, data: Buffer.from(c.data) }));
  chunks[0]!.data.writeUInt32BE(width, 0);
  chunks[0]!.data.writeUInt32BE(height, 4);
  return joinPngChunks(chunks);
}

/** A 24x32 sound-picture whose EXIF holds `params`. */
function pictureWith(params: Partial<SpectrogramParams>) {
  const path = file('exif.png', validPng(24, 32, encodeSpectrogramExif(resolveParams({ numFrequencies: 32, ...params }))));
  return { path, image: readPng(path) };
}

describe('sizes a file claims are checked before anything is allocated from them', () => {
  it('a 20000x20000 PNG header is refused from the header, in milliseconds, without decoding', () => {
    const path = file('huge.png', pngClaiming(20000, 20000));
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    expect(userError(() => readPng(path))).toBe(`${path}: image is 20000x20000 = 400000000 pixels, more than the ${INPUT_LIMITS.imagePixels} allowed`);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 2 ** 20); // decoding would take 1.6 GB
    expect(userError(() => readPng(file('wide.png', pngClaiming(70000, 1))))).toMatch(/image is 70000x1 pixels; each side must be 1 to 65536/);
  });

  it('image data must inflate to exactly what the header declares: short data and zlib bombs are refused', () => {
    // found by npm run fuzz: a header claiming 20000 columns over 24 columns of data decoded as 20000 columns of zeros
    const short = file('short.png', pngClaiming(20000, 32));
    expect(userError(() => readPng(short))).toBe(`${short}: truncated PNG (image data holds 2336 bytes, its 20000x32 header declares 1920032)`);
    const chunks = parsePngChunks(validPng(8, 8)).map((c) => ({ type: c.type, data: Buffer.from(c.data) }));
    chunks[0]!.data[12] = 1; // interlaced: pngjs inflates these without a bound
    const idat = chunks.findIndex((c) => c.type === 'IDAT');
    chunks[idat] = { type: 'IDAT', data: deflateSync(Buffer.alloc(50 * 2 ** 20)) };
    const bomb = file('bomb.png', joinPngChunks(chunks));
    expect(userError(() => readPng(bomb))).toBe(`${bomb}: corrupt PNG (image data inflates to more than the 207 bytes its 8x8 header declares)`);
  });

  it('EXIF sample rate 1e12 or FFT length 1e9 samples is refused naming the parameter', () => {
    const rate = pictureWith({ sampleRate: 1e12 });
    expect(userError(() => spectrogramParamsOf(rate.image, rate.path))).toBe(
      `${rate.path}: sample rate 1000000000000 is out of range (1000 to 768000) (from its EXIF or the options)`);
    const fft = pictureWith({ paddedDurationMs: 1e9 / 44.1 });
    expect(userError(() => spectrogramParamsOf(fft.image, fft.path))).toMatch(/frame of 10{9} samples .* is more than the 131072 allowed/);
    const mels = pictureWith({ numFrequencies: 1e6 });
    expect(userError(() => spectrogramParamsOf(mels.image, mels.path))).toMatch(/mel bin count 1000000 is out of range \(1 to 4096\)/);
  });

  it('an FFT frame with a large prime factor (a transform hundreds of times slower) or a huge filter bank is refused', () => {
    // found by npm run fuzz: 421 ms at 44.1 kHz is 18566 = 2 x 9283 samples, 95 s for a 24-column picture
    const prime = pictureWith({ paddedDurationMs: 421 });
    expect(userError(() => spectrogramParamsOf(prime.image, prime.path))).toMatch(/FFT frame of 18566 samples .* has the prime factor 9283, which makes its FFT hundreds of times slower/);
    const bank = file('bank.png', validPng(4, 4096, encodeSpectrogramExif(resolveParams({ numFrequencies: 4096, paddedDurationMs: 2000 }))));
    expect(userError(() => spectrogramParamsOf(readPng(bank), bank))).toMatch(/4096 mel bins x 44101 FFT bins is 180637696 filter cells, more than the 33554432 allowed/);
    for (const sampleRate of [8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000, 192000]) {
      const ok = pictureWith({ sampleRate, maxFrequency: Math.min(10000, sampleRate / 2) });
      expect(spectrogramParamsOf(ok.image, ok.path).sampleRate).toBe(sampleRate);
    }
  });

  it('a 1-column picture is refused: it cannot make a single sample', () => {
    const path = file('one.png', validPng(1, 32));
    expect(userError(() => spectrogramParamsOf(readPng(path), path))).toBe(`${path}: image is 1 column wide; at least 2 columns are needed to make sound`);
  });

  it('a WAV header claiming 4294967295 Hz or 1000 channels is refused', () => {
    const rate = validWav();
    rate.writeUInt32LE(0xffffffff, 24);
    const path = file('rate.wav', rate);
    expect(userError(() => readWav(path))).toBe(`${path}: sample rate 4294967295 Hz is out of range (1000 to 768000)`);
    const channels = validWav(2048, 1);
    channels.writeUInt16LE(1000, 22);
    channels.writeUInt16LE(2000, 32);
    const ch = file('channels.wav', channels);
    expect(userError(() => readWav(ch))).toMatch(/1000 channels, more than the 64 allowed/);
  });

  it('a preset width of 2147483640 is refused by validation, before any model runs', () => {
    const path = file('wide.yaml', 'models: { audio: x }\nwidth: 2147483640\nplan: [{ model: audio, prompt: a, guidance: 7 }]\n');
    expect(userError(() => loadPreset(path))).toMatch(/: width: Too big: expected number to be <=2048$/);
  });

  it('a 1.4 MB preset of 100,000 keys is refused from its size, in well under a second', () => {
    const keys = Array.from({ length: 100_000 }, (_, k) => `k${k}: ${k}`).join('\n');
    const path = file('keys.yaml', `models: { audio: x }\nplan: [{ model: audio, prompt: a, guidance: 7 }]\n${keys}\n`);
    const t0 = performance.now();
    expect(userError(() => loadPreset(path))).toMatch(/keys\.yaml: preset is 1\d{6} bytes, more than the 32768 allowed$/);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('a FIFO or a folder is refused at once, not waited on or read', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.png');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(userError(() => readPng(fifo))).toBe(`${fifo}: not a regular file, expected a PNG file`);
    expect(userError(() => readInputFile(dir, 'WAV file', 100))).toBe(`${dir}: is a folder, expected a WAV file`);
  });

  it('an all-NaN latent is refused (it would pass through every later step as garbage, with exit 0)', () => {
    const path = join(tempDir(), 'nan.npy');
    writeNpy(path, new Float32Array(4 * 8 * 8).fill(NaN), [1, 4, 8, 8]);
    expect(userError(() => readNpy(path))).toBe(`${path}: value 0 (of 256) is not a finite number (NaN)`);
  });
});
