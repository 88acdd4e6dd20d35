import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { UserError } from '../../errors.js';
import { readInputFile } from '../../io/inputFile.js';
import { INPUT_LIMITS } from '../../io/inputLimits.js';
import { readPng } from '../../io/png.js';
import type { RgbImage } from '../../io/rgbImage.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** Pictures larger than this are refused before decoding: they are shrunk to ~512 × 512 anyway. */
export const MAX_PICTURE_MEGAPIXELS = 40;
const MAX_PICTURE_SIDE = 16384;
const MAX_JPEG_MEGAPIXELS = MAX_PICTURE_MEGAPIXELS;

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/**
 * Read a picture to imprint: PNG (any colour type, via `readPng`) or JPEG (baseline or
 * progressive, via jpeg-js). The format is recognised from the file's first bytes, not its name,
 * because photos saved as `.jpg` are often really PNGs and vice versa. Alpha is dropped (not
 * composited), metadata ignored.
 *
 * @throws UserError naming the file: missing or unreadable, not a PNG or JPEG (unsupported
 * extension or format), corrupt or too large.
 */
export function loadPicture(path: string): RgbImage {
  const bytes = readInputFile(path, 'picture', INPUT_LIMITS.mediaFileBytes);
  const size = pictureSize(bytes);
  const tooBig = size && sizeProblem(size);
  if (tooBig) throw new UserError(`${path}: ${tooBig}`);
  if (startsWith(bytes, PNG_SIGNATURE)) {
    const { width, height, rgb } = readPng(path);
    return { width, height, rgb };
  }
  if (startsWith(bytes, JPEG_SIGNATURE)) return decodeJpegFile(bytes, path);

  const ext = extname(path).toLowerCase();
  if (ext === '.png' || ext === '.jpg' || ext === '.jpeg') {
    throw new UserError(`${path}: not a ${ext === '.png' ? 'PNG' : 'JPEG'} file (corrupt, or another format renamed)`);
  }
  throw new UserError(`${path}: unsupported picture format${ext ? ` (${ext})` : ''}; use a PNG or JPEG`);
}

function decodeJpegFile(bytes: Buffer, path: string): RgbImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    // formatAsRGBA false: 3 bytes per pixel, whatever the JPEG's components (grey, YCbCr, CMYK).
    decoded = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_JPEG_MEGAPIXELS });
  } catch (e) {
    throw new UserError(`${path}: corrupt or unsupported JPEG (${(e as Error).message})`);
  }
  const { width, height, data } = decoded;
  // A file with markers but no frame decodes "successfully" to nothing.
  if (!(width >= 1 && height >= 1) || data.length !== width * height * 3) {
    throw new UserError(`${path}: corrupt JPEG (no image data)`);
  }
  return { width, height, rgb: data };
}

/**
 * Why a picture file cannot be imprinted (missing, unreadable, not PNG/JPEG, too large), from its
 * first bytes only: checked when the command arrives, without decoding anything. Null when it looks fine.
 */
export function checkPicture(path: string): string | null {
  let bytes: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      bytes = Buffer.alloc(64 * 1024);
      bytes = bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `${path}: ${code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? (e as Error).message})`}`;
  }
  if (!startsWith(bytes, PNG_SIGNATURE) && !startsWith(bytes, JPEG_SIGNATURE)) return `${path}: not a PNG or JPEG picture`;
  const size = pictureSize(bytes);
  if (!size) return `${path}: corrupt picture (no size in its header)`;
  const problem = sizeProblem(size);
  return problem ? `${path}: ${problem}` : null;
}

function sizeProblem({ width, height }: { width: number; height: number }): string | null {
  if (width < 1 || height < 1) return `picture has no pixels (${width}x${height})`;
  if (width > MAX_PICTURE_SIDE || height > MAX_PICTURE_SIDE || width * height > MAX_PICTURE_MEGAPIXELS * 1e6) {
    return `picture is ${width}x${height}, larger than Synesthete decodes (${MAX_PICTURE_MEGAPIXELS} megapixels, ${MAX_PICTURE_SIDE} pixels a side); scale it down first`;
  }
  return null;
}

/** Width and height from a PNG's IHDR or a JPEG's first SOF marker; undefined when not found. */
export function pictureSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, PNG_SIGNATURE)) {
    return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
  }
  if (!startsWith(bytes, JPEG_SIGNATURE)) return undefined;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) { i++; continue; }
    const marker = bytes[i + 1]!;
    if (marker === 0xff) { i++; continue; }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
    const length = view.getUint16(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}
