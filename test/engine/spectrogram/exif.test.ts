import { describe, expect, it } from 'vitest';
import { readPng } from '../../../engine/io/png.js';
import { decodeSpectrogramExif, encodeSpectrogramExif } from '../../../engine/spectrogram/exif.js';
import { DEFAULT_SPECTROGRAM_PARAMS, resolveParams } from '../../../engine/spectrogram/params.js';
import { fixture } from '../../helpers/fixtures.js';

const stereoExif = () => readPng(fixture('riffusion/tired_traveler/clip_2_stereo.png')).exif!;
const monoExif = () => readPng(fixture('riffusion/tired_traveler/clip_2_left.png')).exif!;

/** A little-endian TIFF with arbitrary (tag, type, raw value bytes) entries, for decoder tests. */
function littleEndianTiff(entries: Array<[number, number, Buffer]>): Buffer {
  const ifdEnd = 8 + 2 + 12 * entries.length + 4;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(ifdEnd);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(entries.length, 8);
  let data = ifdEnd;
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + 12 * i;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(1, at + 4);
    if (value.length <= 4) value.copy(head, at + 8);
    else {
      head.writeUInt32LE(data, at + 8);
      parts.push(value);
      data += value.length;
    }
  });
  return Buffer.concat([head, ...parts]);
}

const le = (bytes: number, write: (b: Buffer) => void) => {
  const b = Buffer.alloc(bytes);
  write(b);
  return b;
};

describe('decodeSpectrogramExif', () => {
  it("reads Riffusion's own stereo image", () => {
    const { params, maxValue } = decodeSpectrogramExif(stereoExif());
    expect(params).toEqual({
      sampleRate: 44100, stereo: true, stepSizeMs: 10, windowDurationMs: 100, paddedDurationMs: 400,
      numFrequencies: 512, minFrequency: 0, maxFrequency: 10000, powerForImage: 0.25,
    });
    expect(maxValue).toBe(46801012);
  });

  it("reads Riffusion's mono image (stereo = 0, same max)", () => {
    const { params, maxValue } = decodeSpectrogramExif(monoExif());
    expect(params.stereo).toBe(false);
    expect(maxValue).toBe(46801012);
  });

  it('reads little-endian LONG, RATIONAL, FLOAT, SSHORT and ignores unknown tags', () => {
    const buf = littleEndianTiff([
      [271, 2, Buffer.from('abc\0')], // Make (ASCII): not ours, skipped even though we do not read ASCII
      [11000, 4, le(4, (b) => b.writeUInt32LE(96000))],
      [11010, 5, le(8, (b) => { b.writeUInt32LE(25, 0); b.writeUInt32LE(2, 4); })],
      [11050, 8, le(2, (b) => b.writeInt16LE(20))],
      [11070, 11, le(4, (b) => b.writeFloatLE(0.5))],
    ]);
    expect(decodeSpectrogramExif(buf)).toEqual({ params: { sampleRate: 96000, stepSizeMs: 12.5, minFrequency: 20, powerForImage: 0.5 } });
  });

  it('tolerates a JPEG-style "Exif\\0\\0" prefix', () => {
    const prefixed = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), stereoExif()]);
    expect(decodeSpectrogramExif(prefixed).maxValue).toBe(46801012);
  });

  it('throws a plain Error on malformed input', () => {
    const good = stereoExif();
    const cases: Buffer[] = [
      Buffer.alloc(4),
      Buffer.from('XX\0*\0\0\0\x08', 'latin1'),
      Buffer.from('MM\0\x2b\0\0\0\x08', 'latin1'),
      Buffer.from('MM\0*\0\0\x10\0', 'latin1'),
      good.subarray(0, 60), // IFD runs past the end
      good.subarray(0, 140), // DOUBLE offsets point past the end
    ];
    for (const c of cases) expect(() => decodeSpectrogramExif(c)).toThrow(/malformed EXIF/);
  });
});

describe('encodeSpectrogramExif', () => {
  it("is byte-identical to Riffusion's (Pillow's) encoding of the same values", () => {
    for (const original of [stereoExif(), monoExif()]) {
      const { params, maxValue } = decodeSpectrogramExif(original);
      expect(encodeSpectrogramExif(resolveParams(params), maxValue)).toEqual(original);
    }
  });

  it('omits MAX_VALUE when not given (9 entries, 130 bytes)', () => {
    const buf = encodeSpectrogramExif(DEFAULT_SPECTROGRAM_PARAMS);
    expect(buf.length).toBe(8 + 2 + 9 * 12 + 4 + 8);
    expect(buf.readUInt16BE(8)).toBe(9);
    expect(decodeSpectrogramExif(buf)).toEqual({ params: { ...DEFAULT_SPECTROGRAM_PARAMS } });
  });

  it('uses LONG above 65535 and DOUBLE for fractions, and round-trips them', () => {
    const params = resolveParams({ sampleRate: 96000, stepSizeMs: 12.5, maxFrequency: 20000, stereo: true });
    const buf = encodeSpectrogramExif(params, 1.5e7);
    const typeOf = (tag: number) => {
      for (let i = 0; i < buf.readUInt16BE(8); i++) if (buf.readUInt16BE(10 + 12 * i) === tag) return buf.readUInt16BE(12 + 12 * i);
      return -1;
    };
    expect([typeOf(11000), typeOf(11010), typeOf(11060), typeOf(11070), typeOf(11080)]).toEqual([4, 12, 3, 12, 12]);
    expect(decodeSpectrogramExif(buf)).toEqual({ params: { ...params }, maxValue: 1.5e7 });
  });
});
