import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../../engine/errors.js';
import { writePng } from '../../../../engine/io/png.js';
import { loadPicture } from '../../../../engine/live/imprint/loadPicture.js';
import { tempDir } from '../../../helpers/fixtures.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 32x16 JPEG: left half white, right half black. */
function writeJpeg(path: string): void {
  const width = 32, height = 16;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = i % width < width / 2 ? 255 : 0;
    data.set([v, v, v, 255], i * 4);
  }
  writeFileSync(path, encode({ width, height, data }, 95).data);
}

function expectUserError(fn: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try { fn(); } catch (e) { error = e; }
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toMatch(pattern);
}

describe('loadPicture', () => {
  it('reads a JPEG as RGB (3 bytes per pixel)', () => {
    const path = join(dir, 'half.jpg');
    writeJpeg(path);
    const image = loadPicture(path);
    expect([image.width, image.height]).toEqual([32, 16]);
    expect(image.rgb.length).toBe(32 * 16 * 3);
    expect(image.rgb[(8 * 32 + 2) * 3]).toBeGreaterThan(240);
    expect(image.rgb[(8 * 32 + 29) * 3]).toBeLessThan(15);
  });

  it('reads a PNG, and recognises the format by content, not by name', () => {
    const rgb = new Uint8Array(2 * 2 * 3).fill(7);
    writePng(join(dir, 'a.png'), { width: 2, height: 2, rgb });
    expect(loadPicture(join(dir, 'a.png')).rgb).toEqual(rgb);
    writePng(join(dir, 'really-a-png.jpg'), { width: 2, height: 2, rgb });
    expect(loadPicture(join(dir, 'really-a-png.jpg')).rgb).toEqual(rgb);
  });

  it('names the file when it is missing', () => {
    const path = join(dir, 'missing.png');
    expectUserError(() => loadPicture(path), new RegExp(`${path}: file not found`));
  });

  it('names the file for an unsupported format', () => {
    const path = join(dir, 'anim.gif');
    writeFileSync(path, 'GIF89a....');
    expectUserError(() => loadPicture(path), /anim\.gif: unsupported picture format \(\.gif\); use a PNG or JPEG/);
    const fake = join(dir, 'fake.jpeg');
    writeFileSync(fake, 'not a picture');
    expectUserError(() => loadPicture(fake), /fake\.jpeg: not a JPEG file/);
  });

  it('names the file for a corrupt JPEG', () => {
    const path = join(dir, 'good.jpg');
    writeJpeg(path);
    const bytes = readFileSync(path);
    for (const [name, data] of [
      ['truncated.jpg', bytes.subarray(0, bytes.length >> 1)],
      ['header-only.jpg', bytes.subarray(0, 4)],
      ['garbage.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(64, 7)])],
    ] as const) {
      const bad = join(dir, name);
      writeFileSync(bad, data);
      expectUserError(() => loadPicture(bad), new RegExp(`${name.replace('.', '\\.')}: corrupt`));
    }
  });
});
