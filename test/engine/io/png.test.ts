import { deflateSync } from 'node:zlib';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPng, writePng } from '../../../engine/io/png.js';
import { joinPngChunks, parsePngChunks, type PngChunk } from '../../../engine/io/pngChunks.js';
import { UserError } from '../../../engine/errors.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

/** Build a PNG by hand (filter type 0 on every row) so colour types pngjs cannot write are covered. */
function handmadePng(width: number, height: number, colorType: number, bitDepth: number, rows: number[][], before: PngChunk[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const raw = Buffer.concat(rows.map((r) => Buffer.from([0, ...r])));
  return joinPngChunks([{ type: 'IHDR', data: ihdr }, ...before, { type: 'IDAT', data: deflateSync(raw) }, { type: 'IEND', data: Buffer.alloc(0) }]);
}

function readBuffer(buf: Buffer) {
  const path = join(tempDir(), 'x.png');
  writeFileSync(path, buf);
  return readPng(path);
}

const pixel = (img: { width: number; rgb: Uint8Array }, x: number, y: number) => Array.from(img.rgb.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe('readPng on Riffusion files', () => {
  it('reads the stereo clip image with its eXIf payload', () => {
    const img = readPng(fixture('riffusion/tired_traveler/clip_2_stereo.png'));
    expect([img.width, img.height]).toEqual([568, 512]);
    expect(img.exif?.length).toBe(150);
    expect(img.exif?.subarray(0, 4).toString('latin1')).toBe('MM\0*');
    for (let i = 0; i < img.rgb.length; i += 3) if (img.rgb[i] !== 0) throw new Error('stereo images have R = 0');
  });

  it('expands palette (og_beat) and greyscale (agile) seeds to grey RGB', () => {
    const og = readPng(fixture('riffusion/seed_images/og_beat.png'));
    const agile = readPng(fixture('riffusion/seed_images/agile.png'));
    for (const img of [og, agile]) expect([img.width, img.height]).toEqual([512, 512]);
    let agileOff = 0;
    for (let i = 0; i < agile.rgb.length; i += 3) if (agile.rgb[i] !== agile.rgb[i + 1] || agile.rgb[i] !== agile.rgb[i + 2]) agileOff++;
    expect(agileOff).toBe(0);
    // og_beat's palette has 25 near-grey entries with R one level below/above G = B.
    let ogOff = 0;
    let ogWorst = 0;
    for (let i = 0; i < og.rgb.length; i += 3) {
      const d = Math.max(Math.abs(og.rgb[i] - og.rgb[i + 1]), Math.abs(og.rgb[i + 1] - og.rgb[i + 2]) * 10);
      ogWorst = Math.max(ogWorst, d);
      if (og.rgb[i] !== og.rgb[i + 1]) ogOff++;
    }
    expect(ogWorst).toBe(1); // G = B everywhere, |R - G| <= 1
    expect(ogOff).toBe(996);
    expect(agile.text.Title).toBe('PDF Creator');
    expect(og.exif).toBeUndefined();
  });

  it('reads a 1-bit palette mask (mask_top_third_75: rows 0-179 = 192, rest 255)', () => {
    const m = readPng(fixture('riffusion/seed_images/mask_top_third_75.png'));
    expect(pixel(m, 10, 0)).toEqual([192, 192, 192]);
    expect(pixel(m, 500, 179)).toEqual([192, 192, 192]);
    expect(pixel(m, 0, 180)).toEqual([255, 255, 255]);
    expect(pixel(m, 511, 511)).toEqual([255, 255, 255]);
  });
});

describe('readPng colour types', () => {
  it('drops alpha from RGBA and grey+alpha', () => {
    expect(readBuffer(handmadePng(1, 1, 6, 8, [[10, 20, 30, 0]])).rgb).toEqual(new Uint8Array([10, 20, 30]));
    expect(readBuffer(handmadePng(2, 1, 4, 8, [[77, 0, 200, 255]])).rgb).toEqual(new Uint8Array([77, 77, 77, 200, 200, 200]));
  });

  it('scales 16-bit RGB and grey to 8 bits', () => {
    expect(readBuffer(handmadePng(1, 1, 2, 16, [[0xff, 0xff, 0x80, 0x00, 0x00, 0x00]])).rgb).toEqual(new Uint8Array([255, 128, 0]));
    expect(readBuffer(handmadePng(1, 1, 0, 16, [[0x40, 0x40]])).rgb).toEqual(new Uint8Array([64, 64, 64]));
  });

  it('reads 1-bit greyscale and 4-bit palette', () => {
    expect(readBuffer(handmadePng(3, 1, 0, 1, [[0b10100000]])).rgb).toEqual(new Uint8Array([255, 255, 255, 0, 0, 0, 255, 255, 255]));
    const plte = { type: 'PLTE', data: Buffer.from([1, 2, 3, 4, 5, 6]) };
    expect(readBuffer(handmadePng(2, 1, 3, 4, [[0x10]], [plte])).rgb).toEqual(new Uint8Array([4, 5, 6, 1, 2, 3]));
  });

  it('keeps the colour of pixels matching a tRNS key colour', () => {
    const trns = { type: 'tRNS', data: Buffer.from([0, 10, 0, 20, 0, 30]) };
    expect(readBuffer(handmadePng(1, 1, 2, 8, [[10, 20, 30]], [trns])).rgb).toEqual(new Uint8Array([10, 20, 30]));
  });
});

describe('writePng', () => {
  const image = { width: 3, height: 2, rgb: Uint8Array.from({ length: 18 }, (_, i) => i * 14) };

  it('round-trips pixels, eXIf and text, with metadata before IDAT', () => {
    const path = join(tempDir(), 'out.png');
    const exif = Buffer.from('MM\0*\0\0\0\x08\0\0\0\0\0\0', 'latin1');
    writePng(path, image, { exif, text: { Software: 'Synesthete', Comment: 'café ♪' } });
    const back = readPng(path);
    expect(back.rgb).toEqual(image.rgb);
    expect(back.exif).toEqual(exif);
    expect(back.text).toEqual({ Software: 'Synesthete', Comment: 'café ♪' });
    const types = parsePngChunks(readFileSync(path)).map((c) => c.type);
    expect(types.slice(0, 4)).toEqual(['IHDR', 'eXIf', 'tEXt', 'iTXt']);
    expect(types.indexOf('IDAT')).toBeGreaterThan(3);
  });

  it('leaves no temporary file behind, on success or failure', () => {
    const dir = tempDir();
    writePng(join(dir, 'a.png'), image, {});
    writePng(join(dir, 'a.png'), image, {}); // overwrite
    expect(readdirSync(dir)).toEqual(['a.png']);
    mkdirSync(join(dir, 'blocked.png')); // renaming a file over a directory fails
    expect(() => writePng(join(dir, 'blocked.png'), image, {})).toThrow(UserError);
    expect(readdirSync(dir).sort()).toEqual(['a.png', 'blocked.png']);
    expect(() => writePng(join(dir, 'missing', 'b.png'), image, {})).toThrow(/missing[/\\]b\.png: cannot write file/);
  });

  it('rejects a pixel buffer of the wrong size', () => {
    expect(() => writePng(join(tempDir(), 'x.png'), { width: 2, height: 2, rgb: new Uint8Array(5) })).toThrow(/expected 12/);
  });
});

describe('readPng errors', () => {
  const good = readFileSync(fixture('riffusion/seed_images/mask_top_third_75.png'));
  const expectUserError = (buf: Buffer | null, message: RegExp) => {
    const path = join(tempDir(), 'bad.png');
    if (buf) writeFileSync(path, buf);
    let err: unknown;
    try {
      readPng(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  };

  it('names a missing file', () => expectUserError(null, /file not found/));
  it('rejects a non-PNG', () => expectUserError(readFileSync(fixture('riffusion/tired_traveler/clip_2.wav')), /not a PNG/));
  it('rejects a truncated PNG', () => expectUserError(good.subarray(0, good.length - 30), /truncated PNG/));
  it('rejects a corrupt PNG', () => {
    const bad = Buffer.from(good);
    bad[good.length - 20] ^= 0xff;
    expectUserError(bad, /corrupt PNG/);
  });
  it('reports pixel-data damage that passes the CRC', () => {
    const chunks = parsePngChunks(good).map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data: Buffer.from('not zlib data') } : c));
    expectUserError(joinPngChunks(chunks), /corrupt PNG/);
  });
});
