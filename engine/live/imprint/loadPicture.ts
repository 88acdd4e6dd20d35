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
const MAX_JPEG_MEGAPIXELS = 100;

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
