import { endianness } from 'node:os';
import { UserError } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import { halfToFloat } from './float16.js';
import { readInputFile } from './inputFile.js';
import { INPUT_LIMITS } from './inputLimits.js';

/** Typed arrays that .npy data is returned in (and accepted from). */
export type NpyData = Float32Array | Float64Array | Int16Array | Int32Array | Uint8Array;

/** Element types `writeNpy` can store. */
export type NpyWriteDtype = '<f4' | '<f8' | '<i2' | '<i4' | '<i8' | '|u1' | '|b1';

/** A decoded .npy array, C order, values in host byte order. */
export interface NpyArray {
  /** dimensions, outermost first; `[]` for a 0-d (scalar) array */
  readonly shape: number[];
  readonly data: NpyData;
  /** the file's `descr`, e.g. `'<f4'` or `'>i8'` (the data is already in host order) */
  readonly dtype: string;
}

interface Kind {
  readonly size: number;
  /** the typed array holds the file's bytes unchanged when byte orders agree (one copy suffices) */
  readonly raw: boolean;
  /** allocates the output array */
  readonly make: (n: number) => NpyData;
  /** decodes the element at byte offset p */
  readonly get: (v: DataView, p: number, le: boolean) => number;
}

/**
 * Supported element kinds. i8 becomes Float64Array ("as numbers"): exact up to 2^53, which is
 * all that shapes, indices and seeds need; f2 (how fp16 latents are often saved) widens to f4.
 */
const KINDS: Record<string, Kind> = {
  f2: { raw: false, size: 2, make: (n) => new Float32Array(n), get: (v, p, le) => halfToFloat(v.getUint16(p, le)) },
  f4: { raw: true, size: 4, make: (n) => new Float32Array(n), get: (v, p, le) => v.getFloat32(p, le) },
  f8: { raw: true, size: 8, make: (n) => new Float64Array(n), get: (v, p, le) => v.getFloat64(p, le) },
  i2: { raw: true, size: 2, make: (n) => new Int16Array(n), get: (v, p, le) => v.getInt16(p, le) },
  i4: { raw: true, size: 4, make: (n) => new Int32Array(n), get: (v, p, le) => v.getInt32(p, le) },
  i8: { raw: false, size: 8, make: (n) => new Float64Array(n), get: (v, p, le) => Number(v.getBigInt64(p, le)) },
  u1: { raw: true, size: 1, make: (n) => new Uint8Array(n), get: (v, p) => v.getUint8(p) },
  b1: { raw: false, size: 1, make: (n) => new Uint8Array(n), get: (v, p) => (v.getUint8(p) ? 1 : 0) },
};
const SUPPORTED = "'<f4', '<f8', '<f2', '<i2', '<i4', '<i8', '|u1', '|b1' (or big-endian '>')";

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
/** Header padding unit since numpy 1.14 (numpy PR #9025; it was 16 before). */
const ARRAY_ALIGN = 64;
/** numpy >= 1.23 leaves room for the first axis to grow to 21 digits without rewriting the file. */
const GROWTH_AXIS_MAX_DIGITS = 21;
const HOST_LE = endianness() === 'LE';

/** The three keys numpy writes, read with regular expressions rather than a Python parser. */
function parseHeader(path: string, header: string): { descr: string; fortran: boolean; shape: number[] } {
  const fail = (what: string): never => {
    throw new UserError(`${path}: malformed .npy header (${what}): ${JSON.stringify(header.trim())}`);
  };
  if (!header.trimStart().startsWith('{')) fail('not a dictionary');
  const descr = /["']descr["']\s*:\s*(["'][^"']*["']|\[)/.exec(header)?.[1] ?? fail("no 'descr'");
  if (descr === '[') throw new UserError(`${path}: unsupported dtype: structured array (supported: ${SUPPORTED})`);
  const fortran = /["']fortran_order["']\s*:\s*(True|False)/.exec(header)?.[1] ?? fail("no 'fortran_order'");
  const dims = /["']shape["']\s*:\s*\(([^)]*)\)/.exec(header)?.[1] ?? fail("no 'shape'");
  // Python 2 wrote longs as "3L"; numpy still reads such files.
  const shape = dims.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const m = /^(\d+)L?$/.exec(s);
    return m ? Number(m[1]) : fail(`shape entry '${s}'`);
  });
  return { descr: descr.slice(1, -1), fortran: fortran === 'True', shape };
}

/**
 * Read a NumPy .npy file (format 1.0, 2.0 or 3.0), C order.
 *
 * @param path - file to read
 * @returns shape, data (f4/f2 -> Float32Array, f8/i8 -> Float64Array, i4 -> Int32Array,
 *   i2 -> Int16Array, u1/b1 -> Uint8Array) and the file's dtype string
 * @throws UserError naming the file: missing, not an .npy (bad magic), unsupported version or
 *   dtype, Fortran order, malformed header, truncated data.
 * @example
 * const { shape, data } = readNpy('latent.npy'); // shape [1, 4, 64, 64], Float32Array
 */
export function readNpy(path: string): NpyArray {
  const bytes = readInputFile(path, '.npy file', INPUT_LIMITS.mediaFileBytes);
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw new UserError(`${path}: not an .npy file (bad magic)`);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) throw new UserError(`${path}: unsupported .npy format version ${major}.${minor}`);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new UserError(`${path}: truncated .npy header`);
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = 8 + lenBytes + headerLen;
  if (bytes.length < dataStart) throw new UserError(`${path}: truncated .npy header (${headerLen} bytes declared)`);
  const header = bytes.toString(major === 3 ? 'utf8' : 'latin1', 8 + lenBytes, dataStart);

  const { descr, fortran, shape } = parseHeader(path, header);
  const order = descr[0];
  const kind = KINDS[descr.slice(1)];
  if (!kind || !(order === '<' || order === '>' || (order === '|' && kind.size === 1))) {
    throw new UserError(`${path}: unsupported dtype '${descr}' (supported: ${SUPPORTED})`);
  }
  // With at most one axis longer than 1, Fortran and C order are the same bytes.
  if (fortran && shape.filter((d) => d > 1).length > 1) {
    throw new UserError(`${path}: Fortran-order arrays are not supported (save with np.ascontiguousarray first)`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const needed = count * kind.size;
  if (bytes.length - dataStart < needed) {
    throw new UserError(`${path}: truncated .npy data (shape (${shape.join(', ')}) of '${descr}' needs ${needed} bytes, only ${bytes.length - dataStart} present)`);
  }

  const le = order !== '>';
  const data = kind.make(count);
  if (kind.raw && (kind.size === 1 || le === HOST_LE)) {
    // Byte-identical to the typed array: one copy instead of an element-wise decode.
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart, dataStart + needed));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, needed);
    for (let i = 0, p = 0; i < count; i++, p += kind.size) data[i] = kind.get(view, p, le);
  }
  // Latents and noise with NaN or infinities would pass through every later step as silence or
  // garbage, with exit 0: refuse them here, where the file is known.
  if (data instanceof Float32Array || data instanceof Float64Array) {
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new UserError(`${path}: value ${bad} (of ${count}) is not a finite number (${data[bad]})`);
  }
  return { shape, data, dtype: descr };
}

/** numpy's header text: sorted keys, Python reprs, growth room, space padding, final newline. */
export function npyHeader(dtype: string, shape: readonly number[]): Buffer {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${tuple}, }`;
  if (shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  // Like numpy: version 1.0 unless the header overflows its 16-bit length (never for plain arrays).
  // numpy's formula: a header that is already aligned still gets ARRAY_ALIGN spaces.
  const hlen = dict.length + 1;
  const padding = (prefixLen: number) => ARRAY_ALIGN - ((prefixLen + hlen) % ARRAY_ALIGN);
  const v1 = hlen + padding(10) <= 0xffff;
  const prefixLen = v1 ? 10 : 12;
  const pad = padding(prefixLen);
  const prefix = Buffer.alloc(prefixLen);
  MAGIC.copy(prefix);
  prefix[6] = v1 ? 1 : 2;
  prefix[7] = 0;
  if (v1) prefix.writeUInt16LE(hlen + pad, 8);
  else prefix.writeUInt32LE(hlen + pad, 8);
  return Buffer.concat([prefix, Buffer.from(dict + ' '.repeat(pad) + '\n', 'latin1')]);
}

function natural(data: ArrayLike<number>): NpyWriteDtype {
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Uint8Array) return '|u1';
  return '<f4';
}

/** Little-endian bytes of `data` as `dtype`. */
function encode(data: ArrayLike<number>, dtype: NpyWriteDtype): Buffer {
  const n = data.length;
  let typed: NpyData | BigInt64Array;
  switch (dtype) {
    case '<f4': typed = data instanceof Float32Array ? data : Float32Array.from(data); break;
    case '<f8': typed = data instanceof Float64Array ? data : Float64Array.from(data); break;
    case '<i2': typed = data instanceof Int16Array ? data : Int16Array.from(data); break;
    case '<i4': typed = data instanceof Int32Array ? data : Int32Array.from(data); break;
    case '<i8': typed = BigInt64Array.from({ length: n }, (_, i) => BigInt(Math.trunc(data[i]!))); break;
    case '|u1': typed = data instanceof Uint8Array ? data : Uint8Array.from(data); break;
    case '|b1': typed = Uint8Array.from({ length: n }, (_, i) => (data[i] ? 1 : 0)); break;
  }
  const out = Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
  // Typed arrays use host order; .npy files written here are always little-endian.
  const size = typed.BYTES_PER_ELEMENT;
  if (!HOST_LE && size > 1) {
    const copy = Buffer.from(out);
    for (let p = 0; p < copy.length; p += size) copy.subarray(p, p + size).reverse();
    return copy;
  }
  return out;
}

/**
 * Write a C-order array as a NumPy .npy file (format 1.0, byte-identical to numpy >= 1.23's
 * `np.save`), atomically.
 *
 * @param path - destination
 * @param data - the values, C order (last axis fastest); length = product of `shape`
 * @param shape - dimensions, outermost first
 * @param dtype - element type; default: the typed array's own (Float64Array -> '<f8', Int32Array
 *   -> '<i4', Int16Array -> '<i2', Uint8Array -> '|u1'), float32 ('<f4') for anything else
 * @throws UserError naming the file if it cannot be written; Error if shape and data disagree.
 * @example
 * writeNpy('latent.npy', new Float32Array(4 * 64 * 64), [1, 4, 64, 64]);
 */
export function writeNpy(path: string, data: ArrayLike<number>, shape: readonly number[], dtype: NpyWriteDtype = natural(data)): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`writeNpy: invalid shape (${shape.join(', ')})`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`writeNpy: shape (${shape.join(', ')}) holds ${count} values, data has ${data.length}`);
  writeFileAtomic(path, Buffer.concat([npyHeader(dtype, shape), encode(data, dtype)]));
}
