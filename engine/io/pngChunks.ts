import * as zlib from 'node:zlib';

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk of a PNG file: its 4-letter type and its payload (a view into the file buffer). */
export interface PngChunk {
  readonly type: string;
  readonly data: Buffer;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 as PNG chunks use it (the zlib polynomial). */
export function crc32(data: Uint8Array): number {
  // zlib.crc32 appeared in Node 20.15; keep a table fallback for older Node 20 releases.
  const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
  if (typeof native === 'function') return native(data) >>> 0;
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Split a PNG file into its chunks, checking the signature, every length and every CRC.
 * Throws a plain Error whose message starts with "not a PNG", "truncated PNG" or "corrupt PNG";
 * the caller adds the file name.
 */
export function parsePngChunks(file: Buffer): PngChunk[] {
  if (file.length < 8 || !file.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  const chunks: PngChunk[] = [];
  let pos = 8;
  for (;;) {
    if (pos + 12 > file.length) throw new Error(`truncated PNG (file ends at byte ${file.length} before the IEND chunk)`);
    const length = file.readUInt32BE(pos);
    const type = file.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`corrupt PNG (invalid chunk type at byte ${pos})`);
    const end = pos + 8 + length;
    if (end + 4 > file.length) throw new Error(`truncated PNG (${type} chunk runs past the end of the file)`);
    if (crc32(file.subarray(pos + 4, end)) !== file.readUInt32BE(end)) {
      throw new Error(`corrupt PNG (CRC mismatch in ${type} chunk)`);
    }
    chunks.push({ type, data: file.subarray(pos + 8, end) });
    pos = end + 4;
    if (type === 'IEND') return chunks;
    if (chunks.length === 1 && type !== 'IHDR') throw new Error('corrupt PNG (first chunk is not IHDR)');
  }
}

/** Serialise one chunk: length, type, payload, CRC of type + payload. */
export function encodePngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Reassemble chunks into a PNG file. */
export function joinPngChunks(chunks: readonly PngChunk[]): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ...chunks.map((c) => encodePngChunk(c.type, c.data))]);
}

/**
 * Decode a tEXt, zTXt or iTXt payload into [keyword, text]; undefined for other chunk types.
 * tEXt/zTXt are Latin-1 by the PNG spec, iTXt is UTF-8 (optionally deflated).
 */
export function decodeTextChunk(chunk: PngChunk): [string, string] | undefined {
  const d = chunk.data;
  const nul = d.indexOf(0);
  if (nul < 0) throw new Error(`corrupt PNG (${chunk.type} chunk has no keyword terminator)`);
  const key = d.toString('latin1', 0, nul);
  switch (chunk.type) {
    case 'tEXt':
      return [key, d.toString('latin1', nul + 1)];
    case 'zTXt':
      return [key, zlib.inflateSync(d.subarray(nul + 2)).toString('latin1')];
    case 'iTXt': {
      const compressed = d[nul + 1] === 1;
      const langEnd = d.indexOf(0, nul + 3);
      const transEnd = langEnd < 0 ? -1 : d.indexOf(0, langEnd + 1);
      if (transEnd < 0) throw new Error('corrupt PNG (malformed iTXt chunk)');
      const body = d.subarray(transEnd + 1);
      return [key, (compressed ? zlib.inflateSync(body) : body).toString('utf8')];
    }
    default:
      return undefined;
  }
}

/**
 * Encode one text entry: tEXt when the text is Latin-1 (what most readers expect),
 * otherwise an uncompressed iTXt so non-Latin-1 characters survive.
 */
export function encodeTextChunk(key: string, text: string): PngChunk {
  // PNG keywords are 1-79 Latin-1 characters without NUL; anything else is a caller bug.
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(key)) throw new Error(`invalid PNG text keyword ${JSON.stringify(key)}`);
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\xff]*$/.test(text) && !text.includes('\0')) {
    return { type: 'tEXt', data: Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]) };
  }
  const head = Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0, 0, 0, 0, 0])]);
  return { type: 'iTXt', data: Buffer.concat([head, Buffer.from(text, 'utf8')]) };
}
