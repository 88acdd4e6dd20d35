import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkPicture, loadPicture, pictureSize } from '../../../../engine/live/imprint/loadPicture.js';
import { fixture, tempDir } from '../../../helpers/fixtures.js';

/** A PNG that claims width x height in its header and holds almost nothing (as a hostile file would). */
function claimingPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(16))), chunk('IEND', Buffer.alloc(0))]);
}

describe('pictures to imprint are checked from their header, before any decoding', () => {
  it('refuses a 20000 x 20000 PNG at once, naming the file and the limit', () => {
    const file = join(tempDir(), 'huge.png');
    writeFileSync(file, claimingPng(20000, 20000));
    const started = performance.now();
    expect(checkPicture(file)).toBe(`${file}: picture is 20000x20000, larger than Synesthete decodes (40 megapixels, 16384 pixels a side); scale it down first`);
    expect(() => loadPicture(file)).toThrow(/larger than Synesthete decodes/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reads sizes from PNG and JPEG headers, and accepts a normal picture', () => {
    const og = fixture('riffusion/seed_images/og_beat.png');
    expect(checkPicture(og)).toBeNull();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x58, 0x03, 0x20, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(pictureSize(jpeg)).toEqual({ width: 800, height: 600 });
    expect(checkPicture(join(tempDir(), 'missing.png'))).toMatch(/missing\.png: file not found$/);
    const text = join(tempDir(), 'notes.png');
    writeFileSync(text, 'hello');
    expect(checkPicture(text)).toBe(`${text}: not a PNG or JPEG picture`);
  });
});
