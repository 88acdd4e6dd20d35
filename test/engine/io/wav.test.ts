import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav, writeWav } from '../../../engine/io/wav.js';
import { UserError } from '../../../engine/errors.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

interface WavSpec {
  format: number;
  channels: number;
  bits: number;
  data: Buffer;
  extensible?: boolean;
  rifx?: boolean;
  declaredDataSize?: number;
  blockAlign?: number;
}

/** Hand-build a WAV so every format variant is covered without binary fixtures. */
function makeWav(s: WavSpec): Buffer {
  const be = s.rifx === true;
  const u16 = (v: number) => le(2, (b) => (be ? b.writeUInt16BE(v) : b.writeUInt16LE(v)));
  const u32 = (v: number) => le(4, (b) => (be ? b.writeUInt32BE(v) : b.writeUInt32LE(v)));
  const blockAlign = s.blockAlign ?? (s.channels * s.bits) / 8;
  const fmtCommon = [u16(s.extensible ? 0xfffe : s.format), u16(s.channels), u32(8000), u32(8000 * blockAlign), u16(blockAlign), u16(s.bits)];
  const ext = s.extensible
    ? [u16(22), u16(s.bits), u32(0), u32(s.format), Buffer.from('000010008000 00aa00389b71'.replace(' ', ''), 'hex')]
    : [];
  const fmt = Buffer.concat([...fmtCommon, ...ext]);
  const chunk = (id: string, body: Buffer, size = body.length) =>
    Buffer.concat([Buffer.from(id, 'latin1'), u32(size), body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), chunk('fmt ', fmt), chunk('data', s.data, s.declaredDataSize)]);
  return Buffer.concat([Buffer.from(be ? 'RIFX' : 'RIFF', 'latin1'), u32(body.length), body]);
}

function le(bytes: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(bytes);
  write(b);
  return b;
}

function readBuffer(buf: Buffer) {
  const path = join(tempDir(), 'x.wav');
  writeFileSync(path, buf);
  return readWav(path);
}

const arr = (a: Float32Array) => Array.from(a);

describe('readWav', () => {
  it('reads the Riffusion test clip (stereo 16-bit 44.1 kHz, 5.678 s)', () => {
    const { sampleRate, channels } = readWav(fixture('riffusion/tired_traveler/clip_2.wav'));
    expect(sampleRate).toBe(44100);
    expect(channels.length).toBe(2);
    expect(channels[0].length).toBe(250400);
    const raw = readFileSync(fixture('riffusion/tired_traveler/clip_2.wav'));
    const dataStart = raw.indexOf('data') + 8;
    expect(channels[1][1000]).toBe(raw.readInt16LE(dataStart + 4 * 1000 + 2) / 32768);
  });

  it('decodes 8-bit unsigned, 24-bit and 32-bit integer PCM', () => {
    expect(arr(readBuffer(makeWav({ format: 1, channels: 1, bits: 8, data: Buffer.from([0, 128, 255]) })).channels[0])).toEqual([-1, 0, 127 / 128]);
    const d24 = Buffer.from([0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x40]);
    expect(arr(readBuffer(makeWav({ format: 1, channels: 1, bits: 24, data: d24 })).channels[0])).toEqual([-1, 8388607 / 8388608, 0.5]);
    const d32 = le(8, (b) => { b.writeInt32LE(-2147483648, 0); b.writeInt32LE(1073741824, 4); });
    expect(arr(readBuffer(makeWav({ format: 1, channels: 1, bits: 32, data: d32 })).channels[0])).toEqual([-1, 0.5]);
  });

  it('decodes float32 and float64, de-interleaving channels', () => {
    const f32 = le(16, (b) => [0.25, -0.5, 0.75, 1.5].forEach((v, i) => b.writeFloatLE(v, 4 * i)));
    expect(readBuffer(makeWav({ format: 3, channels: 2, bits: 32, data: f32 })).channels.map(arr)).toEqual([[0.25, 0.75], [-0.5, 1.5]]);
    const f64 = le(24, (b) => [0.1, 0.2, 0.3].forEach((v, i) => b.writeDoubleLE(v, 8 * i)));
    expect(readBuffer(makeWav({ format: 3, channels: 3, bits: 64, data: f64 })).channels.map(arr)).toEqual([[Math.fround(0.1)], [Math.fround(0.2)], [Math.fround(0.3)]]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE (24-bit PCM and float32) and big-endian RIFX', () => {
    const d24 = Buffer.from([0x00, 0x00, 0x40, 0x00, 0x00, 0xc0]);
    expect(arr(readBuffer(makeWav({ format: 1, channels: 2, bits: 24, data: d24, extensible: true })).channels[1])).toEqual([-0.5]);
    const f32 = le(4, (b) => b.writeFloatLE(0.375));
    expect(arr(readBuffer(makeWav({ format: 3, channels: 1, bits: 32, data: f32, extensible: true })).channels[0])).toEqual([0.375]);
    const be16 = le(4, (b) => { b.writeInt16BE(16384, 0); b.writeInt16BE(-32768, 2); });
    expect(arr(readBuffer(makeWav({ format: 1, channels: 1, bits: 16, data: be16, rifx: true })).channels[0])).toEqual([0.5, -1]);
  });

  it('reads 12-bit PCM from its 16-bit container (samples are left-justified)', () => {
    const d = le(2, (b) => b.writeInt16LE(0x7ff0));
    expect(arr(readBuffer(makeWav({ format: 1, channels: 1, bits: 12, blockAlign: 2, data: d })).channels[0])).toEqual([0x7ff0 / 32768]);
  });

  it('decodes G.711 mu-law and A-law (odd length: the pad byte is not a sample)', () => {
    const mu = readBuffer(makeWav({ format: 7, channels: 1, bits: 8, data: Buffer.from([0xff, 0x80, 0x00]) })).channels[0];
    expect(arr(mu)).toEqual([0, 32124 / 32768, -32124 / 32768]);
    const a = readBuffer(makeWav({ format: 6, channels: 1, bits: 8, data: Buffer.from([0xd5, 0x55]) })).channels[0];
    expect(arr(a)).toEqual([8 / 32768, -8 / 32768]);
  });
});

describe('readWav errors', () => {
  const clip = readFileSync(fixture('riffusion/tired_traveler/clip_2.wav'));
  const expectUserError = (buf: Buffer | null, message: RegExp) => {
    const path = join(tempDir(), 'bad.wav');
    if (buf) writeFileSync(path, buf);
    let err: unknown;
    try {
      readWav(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(message);
  };
  it('missing file', () => expectUserError(null, /file not found/));
  it('not a WAV', () => expectUserError(readFileSync(fixture('riffusion/seed_images/mask_top_third_75.png')), /not a WAV/));
  it('zero-byte file', () => expectUserError(Buffer.alloc(0), /file is empty/));
  it('truncated data chunk', () => expectUserError(clip.subarray(0, 100000), /truncated WAV \(data chunk declares 1001600 bytes, only 99956 present\)/));
  it('header cut short', () => expectUserError(clip.subarray(0, 30), /corrupt or truncated WAV/));
  it('empty data chunk', () => expectUserError(makeWav({ format: 1, channels: 2, bits: 16, data: Buffer.alloc(0) }), /no samples/));
  it('IMA ADPCM', () => expectUserError(makeWav({ format: 0x11, channels: 1, bits: 4, blockAlign: 256, data: Buffer.alloc(256) }), /unsupported WAV encoding: IMA ADPCM/));
  it('unknown codec', () => expectUserError(makeWav({ format: 0x1234, channels: 1, bits: 8, data: Buffer.alloc(4) }), /format code 0x1234/));
  it('40-bit PCM', () => expectUserError(makeWav({ format: 1, channels: 1, bits: 40, data: Buffer.alloc(10) }), /unsupported WAV encoding: 40-bit PCM/));
});

describe('writeWav', () => {
  const sine = Float32Array.from({ length: 1000 }, (_, i) => 0.9 * Math.sin(i / 7));

  it('int16: rounds with clipping, and re-writing an int16 file is lossless', () => {
    const dir = tempDir();
    writeWav(join(dir, 'a.wav'), [sine, Float32Array.from([1, -1, 1.5, -2, 0.5 / 32768, NaN, ...sine.subarray(6)])], 22050, 'int16');
    const a = readWav(join(dir, 'a.wav'));
    expect(a.sampleRate).toBe(22050);
    expect(arr(a.channels[1].subarray(0, 6))).toEqual([32767 / 32768, -1, 32767 / 32768, -1, 1 / 32768, 0]);
    for (let i = 0; i < sine.length; i++) expect(Math.abs(a.channels[0][i] - sine[i])).toBeLessThanOrEqual(0.5 / 32768 + 1e-9);
    writeWav(join(dir, 'b.wav'), a.channels, a.sampleRate, 'int16');
    expect(readFileSync(join(dir, 'b.wav'))).toEqual(readFileSync(join(dir, 'a.wav')));
    expect(readdirSync(dir).sort()).toEqual(['a.wav', 'b.wav']);
  });

  it('float32: exact, any channel count', () => {
    const path = join(tempDir(), 'f.wav');
    const chans = [sine, sine.map((v) => -v * 2), sine.map((v) => v / 3)];
    writeWav(path, chans, 48000, 'float32');
    const back = readWav(path);
    expect(back.channels.length).toBe(3);
    back.channels.forEach((c, i) => expect(c).toEqual(chans[i]));
  });

  it('fails with a UserError naming the path when the directory is missing', () => {
    const path = join(tempDir(), 'nope', 'x.wav');
    expect(() => writeWav(path, [sine], 44100, 'int16')).toThrow(UserError);
  });
});
