import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type NpyWriteDtype, readNpy, writeNpy } from '../../../engine/io/npy.js';
import { UserError } from '../../../engine/errors.js';
import { tempDir } from '../../helpers/fixtures.js';

const MAGIC = Buffer.from('\x93NUMPY', 'latin1');

/** An .npy file assembled by hand, so versions, byte orders and old paddings numpy no longer writes are covered. */
function handmade(dict: string, data: Buffer, { major = 1, align = 64, encoding = 'latin1' as BufferEncoding } = {}): Buffer {
  const lenBytes = major === 1 ? 2 : 4;
  const body = Buffer.from(dict, encoding);
  const pad = (align - ((8 + lenBytes + body.length + 1) % align)) % align;
  const header = Buffer.concat([body, Buffer.alloc(pad, 0x20), Buffer.from('\n')]);
  const len = Buffer.alloc(lenBytes);
  if (major === 1) len.writeUInt16LE(header.length); else len.writeUInt32LE(header.length);
  return Buffer.concat([MAGIC, Buffer.from([major, 0]), len, header, data]);
}

function fileWith(bytes: Buffer, name = 'a.npy'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

describe('writeNpy', () => {
  it('lays out the header like numpy: magic, v1.0, LE length, sorted dict, growth room, 64-byte padding, newline', () => {
    const path = join(tempDir(), 'x.npy');
    writeNpy(path, Float32Array.from([0, 1, 2, 3, 4, 5]), [2, 3]);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 6).equals(MAGIC)).toBe(true);
    expect([bytes[6], bytes[7]]).toEqual([1, 0]);
    const headerLen = bytes.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = bytes.toString('latin1', 10, 10 + headerLen);
    expect(header.endsWith('\n')).toBe(true);
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    expect(header.startsWith(dict)).toBe(true);
    expect(header.slice(dict.length, -1)).toMatch(/^ +$/);
    // Byte-identical to numpy 2.4.6's np.save(np.arange(6, dtype='<f4').reshape(2, 3)).
    expect(headerLen).toBe(118);
    expect(bytes.length).toBe(152);
    expect(bytes.subarray(128).toString('hex')).toBe('000000000000803f0000004000004040000080400000a040');
  });

  it('writes 1-d and 0-d shapes as Python tuples', () => {
    const dir = tempDir();
    writeNpy(join(dir, 'v.npy'), [1, -2, 3], [3], '<i8');
    const v = readFileSync(join(dir, 'v.npy'));
    expect(v.toString('latin1', 10, 10 + v.readUInt16LE(8))).toContain("'shape': (3,), }");
    expect(v.subarray(128).toString('hex')).toBe('0100000000000000feffffffffffffff0300000000000000');
    writeNpy(join(dir, 's.npy'), [3.5], [], '<f8');
    const s = readFileSync(join(dir, 's.npy'));
    expect(s.toString('latin1', 10, 128)).toBe(`{'descr': '<f8', 'fortran_order': False, 'shape': (), }`.padEnd(117) + '\n');
  });

  it('round-trips every writable dtype', () => {
    const dir = tempDir();
    const cases: Array<[NpyWriteDtype, number[], string]> = [
      ['<f4', [0.5, -1.25, 3e38], 'Float32Array'],
      ['<f8', [Math.PI, -1e-300, 2 ** 60], 'Float64Array'],
      ['<i2', [-32768, 0, 32767], 'Int16Array'],
      ['<i4', [-(2 ** 31), 7, 2 ** 31 - 1], 'Int32Array'],
      ['<i8', [-(2 ** 53), 0, 2 ** 53], 'Float64Array'],
      ['|u1', [0, 128, 255], 'Uint8Array'],
      ['|b1', [1, 0, 1], 'Uint8Array'],
    ];
    for (const [dtype, values, type] of cases) {
      const path = join(dir, `${dtype.slice(1)}.npy`);
      writeNpy(path, values, [1, 3], dtype);
      const back = readNpy(path);
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual([1, 3]);
      expect(back.data.constructor.name).toBe(type);
      expect(Array.from(back.data)).toEqual(dtype === '<f4' ? Array.from(Float32Array.from(values)) : values);
    }
  });

  it("defaults to the typed array's dtype, float32 for plain arrays", () => {
    const dir = tempDir();
    writeNpy(join(dir, 'a.npy'), [1.5, 2], [2]);
    writeNpy(join(dir, 'b.npy'), new Int32Array([1, 2]), [2]);
    writeNpy(join(dir, 'c.npy'), new Float64Array([1, 2]), [2]);
    expect(['a', 'b', 'c'].map((n) => readNpy(join(dir, `${n}.npy`)).dtype)).toEqual(['<f4', '<i4', '<f8']);
  });

  it('rejects a shape that does not match the data, and leaves no file', () => {
    const dir = tempDir();
    expect(() => writeNpy(join(dir, 'x.npy'), new Float32Array(5), [2, 3])).toThrow(/holds 6 values, data has 5/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('readNpy', () => {
  it('reads format 2.0 and 3.0 headers (4-byte length; 3.0 is utf8)', () => {
    const data = Buffer.from(Float32Array.from([1, 2]).buffer);
    const v2 = readNpy(fileWith(handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data, { major: 2 })));
    expect([v2.shape, Array.from(v2.data)]).toEqual([[2], [1, 2]]);
    const v3 = readNpy(fileWith(handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), 'x': 'é', }", data, { major: 3, encoding: 'utf8' })));
    expect([v3.shape, Array.from(v3.data)]).toEqual([[1, 2], [1, 2]]);
  });

  it('reads big-endian data into host order', () => {
    const f4 = Buffer.alloc(8);
    f4.writeFloatBE(1.5, 0);
    f4.writeFloatBE(-2, 4);
    const a = readNpy(fileWith(handmade("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f4)));
    expect([a.dtype, Array.from(a.data)]).toEqual(['>f4', [1.5, -2]]);
    const i8 = Buffer.alloc(16);
    i8.writeBigInt64BE(-5n, 0);
    i8.writeBigInt64BE(2n ** 40n, 8);
    expect(Array.from(readNpy(fileWith(handmade("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", i8))).data)).toEqual([-5, 2 ** 40]);
    const i2 = Buffer.from([0xff, 0xfe, 0x01, 0x00]);
    expect(Array.from(readNpy(fileWith(handmade("{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }", i2))).data)).toEqual([-2, 256]);
  });

  it('widens float16 latents to Float32Array', () => {
    // 1.0, -2.0, 0.5 as IEEE half; 65504 is the largest finite half.
    const f2 = Buffer.from(Uint16Array.from([0x3c00, 0xc000, 0x3800, 0x7bff]).buffer);
    const a = readNpy(fileWith(handmade("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2), }", f2)));
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual([1, -2, 0.5, 65504]);
  });

  it('reads old-numpy files: 16-byte padding, double quotes, Python 2 longs, a scalar, 1-d Fortran order', () => {
    const d = Buffer.from(Int32Array.from([4, 5, 6]).buffer);
    const old = readNpy(fileWith(handmade('{"descr": "<i4", "fortran_order": False, "shape": (1L, 3L), }', d, { align: 16 })));
    expect([old.shape, Array.from(old.data)]).toEqual([[1, 3], [4, 5, 6]]);
    const scalar = readNpy(fileWith(handmade("{'descr': '<i4', 'fortran_order': False, 'shape': (), }", d.subarray(0, 4))));
    expect([scalar.shape, Array.from(scalar.data)]).toEqual([[], [4]]);
    const fortran1d = readNpy(fileWith(handmade("{'descr': '<i4', 'fortran_order': True, 'shape': (3,), }", d)));
    expect(Array.from(fortran1d.data)).toEqual([4, 5, 6]);
  });

  const cases: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => join(tempDir(), 'nope.npy'), /nope\.npy: file not found$/],
    ['bad magic', () => fileWith(Buffer.from('PK\x03\x04 this is a zip, not an npy file')), /: not an \.npy file \(bad magic\)$/],
    ['an unknown format version', () => fileWith(Buffer.concat([MAGIC, Buffer.from([4, 0, 0, 0])])), /unsupported \.npy format version 4\.0/],
    ['a truncated header', () => fileWith(handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(0)).subarray(0, 40)), /truncated \.npy header/],
    ['truncated data', () => fileWith(handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Buffer.alloc(20))), /truncated \.npy data .* needs 24 bytes, only 20 present/],
    ['complex dtype', () => fileWith(handmade("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(8))), /unsupported dtype '<c8'/],
    ['a structured dtype', () => fileWith(handmade("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(4))), /unsupported dtype: structured/],
    ['2-d Fortran order', () => fileWith(handmade("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", Buffer.alloc(16))), /Fortran-order arrays are not supported/],
    ['a header that is not a dict', () => fileWith(handmade('[1, 2]', Buffer.alloc(0))), /malformed \.npy header/],
  ];
  for (const [what, make, message] of cases) {
    it(`names the file for ${what}`, () => {
      const path = make();
      let error: unknown;
      try {
        readNpy(path);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    });
  }
});
