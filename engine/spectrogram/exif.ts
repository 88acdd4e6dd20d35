import type { SpectrogramParams } from './params.js';

/**
 * Riffusion's private EXIF tags (riffusion-hobby `SpectrogramParams.ExifTags`), in the order
 * Riffusion writes them. MAX_VALUE (11080) is handled separately: it is not a parameter.
 */
const PARAM_TAGS: ReadonlyArray<readonly [number, keyof SpectrogramParams]> = [
  [11000, 'sampleRate'],
  [11005, 'stereo'],
  [11010, 'stepSizeMs'],
  [11020, 'windowDurationMs'],
  [11030, 'paddedDurationMs'],
  [11040, 'numFrequencies'],
  [11050, 'minFrequency'],
  [11060, 'maxFrequency'],
  [11070, 'powerForImage'],
];
const MAX_VALUE_TAG = 11080;

const SHORT = 3;
const LONG = 4;
const DOUBLE = 12;
/** Bytes per value for each TIFF field type we read (BYTE..DOUBLE). */
const TYPE_SIZE: Record<number, number> = { 1: 1, 3: 2, 4: 4, 5: 8, 6: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

interface Entry {
  readonly tag: number;
  readonly type: number;
  readonly value: number;
}

/**
 * Pillow's choice for a Python value, which Riffusion relies on: ints become SHORT (or LONG
 * when they do not fit), floats become DOUBLE. Fractional or negative values can only be DOUBLE.
 */
function intEntry(tag: number, value: number): Entry {
  if (Number.isInteger(value) && value >= 0 && value < 0x10000) return { tag, type: SHORT, value };
  if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return { tag, type: LONG, value };
  return { tag, type: DOUBLE, value };
}

/**
 * Encode spectrogram parameters as the payload of a PNG `eXIf` chunk, byte-identical to what
 * Riffusion (via Pillow) writes for the same values: big-endian TIFF header, one IFD with the
 * tags in ascending order, SHORT/LONG values inline, DOUBLEs in a data area after the IFD.
 *
 * @param maxValue the spectrogram's maximum (tag 11080), written when given.
 */
export function encodeSpectrogramExif(params: SpectrogramParams, maxValue?: number): Buffer {
  const entries: Entry[] = PARAM_TAGS.map(([tag, key]) => {
    if (key === 'stereo') return { tag, type: SHORT, value: params.stereo ? 1 : 0 };
    // Riffusion declares power_for_image as a float, so Pillow always writes DOUBLE.
    if (key === 'powerForImage') return { tag, type: DOUBLE, value: params.powerForImage };
    return intEntry(tag, params[key] as number);
  });
  if (maxValue !== undefined) entries.push({ tag: MAX_VALUE_TAG, type: DOUBLE, value: maxValue });

  const ifdSize = 2 + 12 * entries.length + 4;
  const dataSize = entries.filter((e) => e.type === DOUBLE).length * 8;
  const buf = Buffer.alloc(8 + ifdSize + dataSize);
  buf.write('MM', 0, 'latin1');
  buf.writeUInt16BE(42, 2);
  buf.writeUInt32BE(8, 4);
  buf.writeUInt16BE(entries.length, 8);
  let dataOffset = 8 + ifdSize;
  entries.forEach((e, i) => {
    const at = 10 + 12 * i;
    buf.writeUInt16BE(e.tag, at);
    buf.writeUInt16BE(e.type, at + 2);
    buf.writeUInt32BE(1, at + 4);
    // Values that fit in 4 bytes sit left-justified in the entry; larger ones go to the data area.
    if (e.type === SHORT) buf.writeUInt16BE(e.value, at + 8);
    else if (e.type === LONG) buf.writeUInt32BE(e.value, at + 8);
    else {
      buf.writeUInt32BE(dataOffset, at + 8);
      buf.writeDoubleBE(e.value, dataOffset);
      dataOffset += 8;
    }
  });
  // Next-IFD offset stays 0 (Buffer.alloc zero-fills): there is only one IFD.
  return buf;
}

/** Read the first value of an IFD entry, or throw if it points outside the buffer. */
function readEntryValue(buf: Buffer, at: number, le: boolean): number {
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const tag = u16(at);
  const type = u16(at + 2);
  const count = u32(at + 4);
  const size = TYPE_SIZE[type];
  if (size === undefined) throw new Error(`malformed EXIF: tag ${tag} has unsupported type ${type}`);
  if (count < 1) throw new Error(`malformed EXIF: tag ${tag} has no value`);
  const off = size * count <= 4 ? at + 8 : u32(at + 8);
  if (off + size > buf.length) throw new Error(`malformed EXIF: tag ${tag} value lies outside the data`);
  let value: number;
  switch (type) {
    case 1: value = buf.readUInt8(off); break;
    case 6: value = buf.readInt8(off); break;
    case 3: value = u16(off); break;
    case 8: value = le ? buf.readInt16LE(off) : buf.readInt16BE(off); break;
    case 4: value = u32(off); break;
    case 9: value = le ? buf.readInt32LE(off) : buf.readInt32BE(off); break;
    case 11: value = le ? buf.readFloatLE(off) : buf.readFloatBE(off); break;
    case 12: value = le ? buf.readDoubleLE(off) : buf.readDoubleBE(off); break;
    default: {
      // RATIONAL / SRATIONAL: numerator / denominator.
      const signed = type === 10;
      const num = signed ? (le ? buf.readInt32LE(off) : buf.readInt32BE(off)) : u32(off);
      const den = signed ? (le ? buf.readInt32LE(off + 4) : buf.readInt32BE(off + 4)) : u32(off + 4);
      if (den === 0) throw new Error(`malformed EXIF: tag ${tag} has a zero denominator`);
      value = num / den;
    }
  }
  return value;
}

/**
 * Decode Riffusion's spectrogram tags from an `eXIf` payload (either byte order; SHORT, LONG,
 * RATIONAL, FLOAT, DOUBLE and their signed variants). Tags that are absent are absent from
 * `params`; unrelated tags are ignored.
 *
 * @throws Error (plain, for the caller to wrap with the file name) if the buffer is malformed.
 */
export function decodeSpectrogramExif(input: Buffer): { params: Partial<SpectrogramParams>; maxValue?: number } {
  // Some writers keep the JPEG APP1 "Exif\0\0" prefix inside eXIf; tolerate it.
  const buf = input.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? input.subarray(6) : input;
  if (buf.length < 8) throw new Error('malformed EXIF: too short for a TIFF header');
  const order = buf.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new Error('malformed EXIF: bad byte-order mark');
  const le = order === 'II';
  if ((le ? buf.readUInt16LE(2) : buf.readUInt16BE(2)) !== 42) throw new Error('malformed EXIF: bad TIFF magic');
  const ifd = le ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
  if (ifd + 2 > buf.length) throw new Error('malformed EXIF: IFD offset outside the data');
  const count = le ? buf.readUInt16LE(ifd) : buf.readUInt16BE(ifd);
  if (ifd + 2 + 12 * count > buf.length) throw new Error('malformed EXIF: IFD runs past the end of the data');

  const params: Record<string, number | boolean> = {};
  let maxValue: number | undefined;
  const keyOf = new Map<number, keyof SpectrogramParams>(PARAM_TAGS);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + 12 * i;
    const tag = le ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
    const key = keyOf.get(tag);
    if (key === undefined && tag !== MAX_VALUE_TAG) continue;
    const value = readEntryValue(buf, at, le);
    if (tag === MAX_VALUE_TAG) maxValue = value;
    else if (key === 'stereo') params.stereo = value !== 0;
    else if (key !== undefined) params[key] = value;
  }
  const result: { params: Partial<SpectrogramParams>; maxValue?: number } = { params: params as Partial<SpectrogramParams> };
  if (maxValue !== undefined) result.maxValue = maxValue;
  return result;
}
