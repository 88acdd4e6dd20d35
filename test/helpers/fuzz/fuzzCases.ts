import { deflateSync } from 'node:zlib';
import { stringify as toYaml } from 'yaml';
import { joinPngChunks, parsePngChunks, type PngChunk } from '../../../engine/io/pngChunks.js';
import { encodeSpectrogramExif } from '../../../engine/spectrogram/exif.js';
import { resolveParams, type SpectrogramParams } from '../../../engine/spectrogram/params.js';
import { flipBytes, HOSTILE_NUMBERS, type Random } from './random.js';

/** One generated input: a name saying how it was made, and its files (path relative to the case folder -> bytes). */
export interface FuzzCase {
  readonly name: string;
  readonly files: Readonly<Record<string, Buffer>>;
}

export type FuzzKind = 'png' | 'wav' | 'preset' | 'journal' | 'exif';
export const FUZZ_KINDS: readonly FuzzKind[] = ['png', 'wav', 'preset', 'journal', 'exif'];

/** The main file of each kind's case (a journal case is a session folder: its journal). */
export const MAIN_FILE: Record<FuzzKind, string> = {
  png: 'in.png', wav: 'in.wav', preset: 'preset.yaml', journal: 'session/journal.jsonl', exif: 'in.png',
};

/** A small valid sound-picture: `width` columns x `height` mels, grey ramp, with spectrogram EXIF (`null`: none). */
export function validPng(width = 24, height = 32, exif: Buffer | null = encodeSpectrogramExif(resolveParams({ numFrequencies: height }))): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.fill((x * 37 + y * 11) % 256, 1 + x * 3, 4 + x * 3);
    rows.push(row);
  }
  const chunks: PngChunk[] = [{ type: 'IHDR', data: ihdr }];
  if (exif) chunks.push({ type: 'eXIf', data: exif });
  chunks.push({ type: 'IDAT', data: deflateSync(Buffer.concat(rows)) }, { type: 'IEND', data: Buffer.alloc(0) });
  return joinPngChunks(chunks);
}

/** A small valid WAV: 16-bit PCM, `channels` x `frames` of a sine, at `sampleRate`. */
export function validWav(frames = 2048, channels = 2, sampleRate = 44100): Buffer {
  const data = Buffer.alloc(frames * channels * 2);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) data.writeInt16LE(Math.round(8000 * Math.sin((f * (c + 1) * 2 * Math.PI * 440) / sampleRate)), (f * channels + c) * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** Writes `value` at `offset` as a 16- or 32-bit little-endian field, wrapped into range the way a corrupt file would hold it. */
function setField(buf: Buffer, offset: number, bytes: 2 | 4, value: number): void {
  const v = Number.isFinite(value) ? Math.trunc(value) : 0xffffffff;
  const wrapped = ((v % 2 ** (bytes * 8)) + 2 ** (bytes * 8)) % 2 ** (bytes * 8);
  if (bytes === 2) buf.writeUInt16LE(wrapped, offset);
  else buf.writeUInt32LE(wrapped, offset);
}

/** Re-serialise with every chunk CRC correct, so the mutation reaches the decoder rather than the CRC check. */
function withChunks(png: Buffer, edit: (chunks: PngChunk[]) => PngChunk[]): Buffer {
  return joinPngChunks(edit(parsePngChunks(png).map((c) => ({ type: c.type, data: Buffer.from(c.data) }))));
}

const PARAM_KEYS: readonly (keyof SpectrogramParams)[] = ['sampleRate', 'stepSizeMs', 'windowDurationMs', 'paddedDurationMs', 'numFrequencies', 'minFrequency', 'maxFrequency', 'powerForImage'];

/** Spectrogram EXIF with one to three parameters set to hostile values. */
function hostileExif(rng: Random): Buffer {
  const p: Record<string, unknown> = { ...resolveParams({ numFrequencies: 32 }) };
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) p[rng.pick(PARAM_KEYS)] = rng.pick(HOSTILE_NUMBERS);
  return encodeSpectrogramExif(p as unknown as SpectrogramParams, rng.next() < 0.3 ? rng.pick(HOSTILE_NUMBERS) : undefined);
}

export function pngCase(rng: Random, i: number): FuzzCase {
  const base = validPng();
  const kind = rng.int(7);
  const name = (what: string) => ({ name: `png #${i}: ${what}`, files: {} });
  switch (kind) {
    case 0: { // IHDR size claims, CRC kept valid: the 20000x20000-from-389-KB case
      const w = rng.pick([0, 1, 2, 20000, 65536, 65537, 2 ** 31 - 1, 2 ** 32 - 1, 1 + rng.int(100000)]);
      const h = rng.pick([0, 1, 32, 512, 20000, 2 ** 31 - 1, 1 + rng.int(100000)]);
      return { ...name(`IHDR claims ${w}x${h}`), files: { 'in.png': withChunks(base, (c) => { c[0]!.data.writeUInt32BE(w, 0); c[0]!.data.writeUInt32BE(h, 4); return c; }) } };
    }
    case 1: // bit depth / colour type / interlace nonsense
      return { ...name('IHDR fields'), files: { 'in.png': withChunks(base, (c) => { c[0]!.data[8 + rng.int(5)] = rng.int(256); return c; }) } };
    case 2: // truncated anywhere
      return { ...name('truncated'), files: { 'in.png': base.subarray(0, rng.int(base.length)) } };
    case 3: // random bytes flipped (CRC mismatches, mostly)
      return { ...name('bytes flipped'), files: { 'in.png': flipBytes(rng, base, 1 + rng.int(8)) } };
    case 4: // IDAT replaced: random, too short, or a zlib bomb for the declared size
      return { ...name('IDAT replaced'), files: { 'in.png': withChunks(base, (c) => c.map((x) => x.type === 'IDAT'
        ? { type: 'IDAT', data: rng.next() < 0.5 ? deflateSync(Buffer.alloc(rng.int(4_000_000))) : flipBytes(rng, x.data, 4, 2) } : x)) } };
    case 5: // EXIF numbers
      return { ...name('EXIF values'), files: { 'in.png': validPng(24, 32, hostileExif(rng)) } };
    default: // a 1- or 2-column picture, or extra garbage chunks
      return rng.next() < 0.5
        ? { ...name('1 or 2 columns'), files: { 'in.png': validPng(1 + rng.int(2), 32) } }
        : { ...name('garbage chunks'), files: { 'in.png': withChunks(base, (c) => [c[0]!, { type: 'tEXt', data: flipBytes(rng, Buffer.alloc(rng.int(5000)), 100) }, { type: 'eXIf', data: flipBytes(rng, encodeSpectrogramExif(resolveParams()), 6) }, ...c.slice(1)]) } };
  }
}

/** Byte offsets of the 44-byte header's fields: [offset, size]. */
const WAV_FIELDS: ReadonlyArray<readonly [number, 2 | 4]> = [[4, 4], [16, 4], [20, 2], [22, 2], [24, 4], [28, 4], [32, 2], [34, 2], [40, 4]];

export function wavCase(rng: Random, i: number): FuzzCase {
  const base = validWav(512 + rng.int(2048), 1 + rng.int(2));
  const kind = rng.int(5);
  if (kind === 4) { // unusual but valid: what must still be accepted
    const rate = rng.pick([8000, 11025, 22050, 48000, 96000, 192000]);
    return { name: `wav #${i}: valid at ${rate} Hz`, files: { 'in.wav': validWav(Math.round(rate / 10) + rng.int(rate), 1 + rng.int(6), rate) } };
  }
  if (kind === 0) {
    const out = Buffer.from(base);
    const fields: string[] = [];
    for (let k = 0, n = 1 + rng.int(2); k < n; k++) {
      const [offset, size] = rng.pick(WAV_FIELDS);
      const value = rng.pick(HOSTILE_NUMBERS);
      setField(out, offset, size, value);
      fields.push(`@${offset}=${value}`);
    }
    return { name: `wav #${i}: header ${fields.join(' ')}`, files: { 'in.wav': out } };
  }
  if (kind === 1) return { name: `wav #${i}: truncated`, files: { 'in.wav': base.subarray(0, rng.int(base.length)) } };
  if (kind === 2) return { name: `wav #${i}: header bytes flipped`, files: { 'in.wav': Buffer.concat([flipBytes(rng, base.subarray(0, 44), 1 + rng.int(4)), base.subarray(44)]) } };
  // float format with non-finite samples
  const f = Buffer.from(base);
  f.writeUInt16LE(3, 20); f.writeUInt16LE(32, 34); f.writeUInt16LE(4 * f.readUInt16LE(22), 32);
  f.writeFloatLE(rng.pick([NaN, Infinity, 1e38]), 44);
  return { name: `wav #${i}: float with hostile samples`, files: { 'in.wav': f } };
}

const PRESET_FIELDS = ['width', 'height', 'steps', 'seed', 'threads', 'shift', 'tempo', 'alpha', 'plan', 'models', 'audio', 'init', 'mode', 'scheduler', 'name'] as const;
const HOSTILE_VALUES: readonly unknown[] = [...HOSTILE_NUMBERS.filter(Number.isFinite), null, '', 'x'.repeat(10000), [], {}, [[[]]], { a: 1 }, true, '../../etc/passwd'];

/** What the generated cases may refer to outside themselves. */
export interface FuzzOptions {
  /** the audio model a preset names (default: a folder that does not exist, so nothing runs a model) */
  readonly audioModel?: string;
}

export function basePreset(options: FuzzOptions = {}): Record<string, unknown> {
  return { name: 'fuzz', models: { audio: options.audioModel ?? 'nowhere' }, steps: 2, width: 64, height: 64, plan: [{ model: 'audio', prompt: 'beat', guidance: 7 }] };
}

export function presetCase(rng: Random, i: number, options: FuzzOptions = {}): FuzzCase {
  const kind = rng.int(6);
  const p = basePreset(options);
  if (kind === 5) { // unusual but valid: what must still be accepted (and, with a model, generated)
    Object.assign(p, { steps: 1 + rng.int(3), width: 8 * (1 + rng.int(8)), height: 8 * (1 + rng.int(8)), seed: rng.int(2 ** 32), scheduler: rng.pick(['euler', 'ddim', 'pndm', 'dpmpp2m']) });
    return { name: `preset #${i}: valid ${String(p.width)}x${String(p.height)}`, files: { 'preset.yaml': Buffer.from(toYaml(p)) } };
  }
  if (kind === 0 || kind === 1) {
    for (let k = 0, n = 1 + rng.int(3); k < n; k++) p[rng.pick(PRESET_FIELDS)] = rng.pick(HOSTILE_VALUES);
    return { name: `preset #${i}: hostile fields`, files: { 'preset.yaml': Buffer.from(toYaml(p)) } };
  }
  if (kind === 2) { // many keys: the 100,000-key case, at a size chosen at random
    const n = rng.pick([1000, 5000, 20000, 100000]);
    const lines = Array.from({ length: n }, (_, k) => `k${k}: ${k}`);
    return { name: `preset #${i}: ${n} keys`, files: { 'preset.yaml': Buffer.from(`${toYaml(p)}${lines.join('\n')}\n`) } };
  }
  if (kind === 3) { // alias expansion (billion laughs) and deep nesting
    const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, k) => `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)}]`)];
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    return { name: `preset #${i}: aliases or nesting`, files: { 'preset.yaml': Buffer.from(rng.next() < 0.5 ? laughs.join('\n') : `name: ${deep}\n`) } };
  }
  return { name: `preset #${i}: bytes flipped`, files: { 'preset.yaml': flipBytes(rng, Buffer.from(toYaml(p)), 1 + rng.int(10)) } };
}

/** A value recognisable in output audio: a segment read from outside the session folder would carry it. */
export const OUTSIDE_SAMPLE = 0.123456789;

/** A session folder: header, two segments with real files, a command; plus a file outside it. */
function baseSession(): { lines: Record<string, unknown>[]; files: Record<string, Buffer> } {
  const recipe = { source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: 0, description: 'fuzz' };
  const segment = (id: number, t: number) => ({ type: 'segment', t, id, repeat: false, png: `segments/00000${id}.png`, wav: `segments/00000${id}.wav`, recipe });
  const outside = validWav(256, 2);
  for (let p = 44; p < outside.length; p += 2) outside.writeInt16LE(Math.round(OUTSIDE_SAMPLE * 32768), p);
  return {
    lines: [{ type: 'session', version: 1, sampleRate: 44100, started: '2026-01-01T00:00:00Z' }, segment(1, 0), { type: 'command', t: 0.5, command: { type: 'tempo', bpm: 120 } }, segment(2, 1)],
    files: {
      'session/segments/000001.png': validPng(8, 16, null), 'session/segments/000001.wav': validWav(1024, 2),
      'session/segments/000002.png': validPng(8, 16, null), 'session/segments/000002.wav': validWav(2048, 1),
      'outside/secret.wav': outside, 'session/segments/8k.wav': validWav(1024, 2, 8000),
    },
  };
}

const JOURNAL_VALUES: readonly unknown[] = [...HOSTILE_VALUES, '../outside/secret.wav', '/etc/passwd', '../../../../etc/passwd', 'segments/8k.wav', 'segments', 'segments/../../outside/secret.wav', 'segments/missing.wav'];

export function journalCase(rng: Random, i: number): FuzzCase {
  const { lines, files } = baseSession();
  const kind = rng.int(5);
  let text: string;
  let what: string;
  if (kind <= 1) { // a field of one line set to something hostile
    const line = lines[rng.int(lines.length)]!;
    const key = rng.pick(Object.keys(line));
    line[key] = rng.pick(JOURNAL_VALUES);
    what = `${String(line.type)}.${key} = ${JSON.stringify(line[key])?.slice(0, 40)}`;
    text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  } else if (kind === 2) { // a line replaced by null, a number, garbage, or nothing
    const at = rng.int(lines.length + 1);
    const junk = rng.pick(['null', '42', '"text"', '[]', '{}', 'garbage', '\u0000\u0001', '{"type":"segment"}']);
    what = `line ${at + 1} = ${junk}`;
    const out = lines.map((l) => JSON.stringify(l));
    out.splice(at, 0, junk);
    text = out.join('\n') + '\n';
  } else if (kind === 3) { // torn tail: cut anywhere
    const full = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const cut = rng.int(full.length);
    what = `cut at byte ${cut}`;
    text = full.slice(0, cut);
  } else {
    what = 'bytes flipped';
    text = flipBytes(rng, Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'), 1 + rng.int(6)).toString('latin1');
  }
  return { name: `journal #${i}: ${what}`, files: { ...files, 'session/journal.jsonl': Buffer.from(text, 'latin1') } };
}

export function exifCase(rng: Random, i: number): FuzzCase {
  const exif = rng.next() < 0.5 ? hostileExif(rng) : flipBytes(rng, encodeSpectrogramExif(resolveParams({ numFrequencies: 32 }), 1), 1 + rng.int(6));
  return { name: `exif #${i}`, files: { 'in.png': validPng(24, 32, exif) } };
}

const MAKERS: Record<FuzzKind, (rng: Random, i: number, options: FuzzOptions) => FuzzCase> = { png: pngCase, wav: wavCase, preset: presetCase, journal: journalCase, exif: exifCase };

/** The `i`-th case of a kind, from a seeded generator. */
export function fuzzCase(kind: FuzzKind, rng: Random, i: number, options: FuzzOptions = {}): FuzzCase {
  return MAKERS[kind](rng, i, options);
}
