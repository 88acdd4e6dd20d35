import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { UserError } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import { readInputFile } from './inputFile.js';
import { INPUT_LIMITS, rangeProblem } from './inputLimits.js';
import { decodeTextChunk, encodeTextChunk, joinPngChunks, parsePngChunks, type PngChunk } from './pngChunks.js';
import type { RgbImage } from './rgbImage.js';

/** A decoded PNG: 8-bit RGB pixels plus the metadata Synesthete cares about. */
export interface PngImage extends RgbImage {
  /** Raw payload of the `eXIf` chunk (a TIFF header + IFD), if the file has one. */
  readonly exif?: Buffer;
  /** tEXt / zTXt / iTXt entries, keyword -> text (a later chunk wins on duplicate keywords). */
  readonly text: Record<string, string>;
}

/** Metadata to embed when writing a PNG. */
export interface PngWriteOptions {
  /** Raw eXIf payload (e.g. from `encodeSpectrogramExif`). */
  readonly exif?: Buffer;
  readonly text?: Record<string, string>;
}

/**
 * Read a PNG of any standard colour type and bit depth as 8-bit RGB.
 *
 * Greyscale and palette images (including Riffusion's 1-bit palette masks) are expanded to
 * R = G = B, alpha is dropped (not composited), 16-bit samples are rounded to 8 bits.
 *
 * @throws UserError naming the file: missing, not a PNG, truncated or corrupt.
 */
export function readPng(path: string): PngImage {
  const file = readInputFile(path, 'PNG file', INPUT_LIMITS.mediaFileBytes);
  let chunks: PngChunk[];
  try {
    chunks = parsePngChunks(file);
  } catch (e) {
    throw new UserError(`${path}: ${(e as Error).message}`);
  }
  checkHeaderSize(path, chunks[0]!.data);
  checkImageData(path, chunks);

  let exif: Buffer | undefined;
  const text: Record<string, string> = {};
  for (const chunk of chunks) {
    if (chunk.type === 'eXIf' && !exif) exif = Buffer.from(chunk.data);
    try {
      const entry = decodeTextChunk(chunk);
      if (entry) text[entry[0]] = entry[1];
    } catch {
      // A damaged text chunk is ancillary: the pixels are still usable, so skip it.
    }
  }

  // pngjs zeroes the colour of pixels matching a tRNS key colour (it premultiplies to
  // transparent black); since alpha is dropped here, drop tRNS so those pixels keep their colour.
  const hasTrns = chunks.some((c) => c.type === 'tRNS');
  const source = hasTrns ? joinPngChunks(chunks.filter((c) => c.type !== 'tRNS')) : file;
  let decoded: PNG;
  try {
    decoded = PNG.sync.read(source);
  } catch (e) {
    throw new UserError(`${path}: corrupt PNG (${(e as Error).message})`);
  }

  const { width, height, data } = decoded;
  const rgb = new Uint8Array(width * height * 3);
  // pngjs always hands back 8-bit RGBA, whatever the file's colour type and depth.
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    rgb[j] = data[i];
    rgb[j + 1] = data[i + 1];
    rgb[j + 2] = data[i + 2];
  }
  return exif ? { width, height, rgb, exif, text } : { width, height, rgb, text };
}

/**
 * The size the IHDR chunk declares, checked before decoding: a small file can claim 20000x20000
 * pixels, which pngjs would allocate (gigabytes) before finding out the data is not there.
 */
function checkHeaderSize(path: string, ihdr: Buffer): void {
  if (ihdr.length < 13) throw new UserError(`${path}: corrupt PNG (IHDR chunk is ${ihdr.length} bytes, expected 13)`);
  const width = ihdr.readUInt32BE(0), height = ihdr.readUInt32BE(4);
  const { imageSide, imagePixels } = INPUT_LIMITS;
  const side = rangeProblem(width, 1, imageSide, true) ?? rangeProblem(height, 1, imageSide, true);
  if (side) throw new UserError(`${path}: image is ${width}x${height} pixels; each side must be 1 to ${imageSide}`);
  if (width * height > imagePixels) {
    throw new UserError(`${path}: image is ${width}x${height} = ${width * height} pixels, more than the ${imagePixels} allowed`);
  }
}

/** Samples per pixel of each PNG colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

/**
 * The image data must inflate to exactly the size the header implies. pngjs accepts data that is
 * too short (a 24-column IDAT under a header claiming 20000 columns decoded as 20000 columns of
 * zeros: minutes of work from a few hundred bytes), and inflates interlaced data without any
 * bound (a zlib bomb). Inflating once here, capped at the declared size, rules out both.
 */
function checkImageData(path: string, chunks: readonly PngChunk[]): void {
  const ihdr = chunks[0]!.data;
  const width = ihdr.readUInt32BE(0), height = ihdr.readUInt32BE(4);
  const depth = ihdr[8]!, colorType = ihdr[9]!, interlace = ihdr[12]!;
  const channels = CHANNELS[colorType];
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) throw new UserError(`${path}: corrupt PNG (colour type ${colorType} with bit depth ${depth})`);
  const bits = channels * depth;
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (Math.ceil((w * bits) / 8) + 1) : 0);
  const expected = interlace === 0 ? rows(width, height)
    : ADAM7.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)), { maxOutputLength: expected + 1 });
  } catch (e) {
    const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new UserError(`${path}: corrupt PNG (${tooLarge ? `image data inflates to more than the ${expected} bytes its ${width}x${height} header declares` : `image data: ${(e as Error).message}`})`);
  }
  if (inflated.length !== expected) {
    throw new UserError(`${path}: ${inflated.length < expected ? 'truncated' : 'corrupt'} PNG (image data holds ${inflated.length} bytes, its ${width}x${height} header declares ${expected})`);
  }
}

/**
 * Encode an 8-bit RGB image as PNG (colour type 2) and write it atomically.
 *
 * `eXIf` and text chunks go right after IHDR: the PNG spec requires eXIf before IDAT, and that
 * is where Riffusion's own (Pillow-written) spectrogram PNGs have it.
 *
 * @throws UserError naming the file if it cannot be written.
 */
export function writePng(path: string, image: RgbImage, opts: PngWriteOptions = {}): void {
  const { width, height, rgb } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`writePng: invalid size ${width}x${height}`);
  }
  if (rgb.length !== width * height * 3) {
    throw new Error(`writePng: rgb has ${rgb.length} bytes, expected ${width * height * 3} for ${width}x${height}`);
  }
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  const encoded = PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });

  const extra: PngChunk[] = [];
  if (opts.exif) extra.push({ type: 'eXIf', data: opts.exif });
  for (const [key, value] of Object.entries(opts.text ?? {})) extra.push(encodeTextChunk(key, value));
  if (extra.length === 0) {
    writeFileAtomic(path, encoded);
    return;
  }
  const [ihdr, ...rest] = parsePngChunks(encoded);
  writeFileAtomic(path, joinPngChunks([ihdr, ...extra, ...rest]));
}
