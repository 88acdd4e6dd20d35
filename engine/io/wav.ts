import wavefile from 'wavefile';
import { UserError } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import { readInputFile } from './inputFile.js';
import { INPUT_LIMITS, rangeProblem } from './inputLimits.js';

/** Decoded audio: one Float32Array per channel, integer formats scaled to [-1, 1). */
export interface WavAudio {
  readonly sampleRate: number;
  readonly channels: Float32Array[];
}

/** The parts of wavefile's untyped header objects that this module reads. */
interface WavHeader {
  container: string;
  fmt: { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number; blockAlign: number; subformat?: number[] };
  ds64: { dataSizeHigh: number; dataSizeLow: number };
  data: { samples: Uint8Array };
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Names for the non-PCM format codes people actually meet, so the error says what the file is. */
const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM', 0x0011: 'IMA ADPCM', 0x0031: 'GSM 6.10', 0x0050: 'MPEG audio',
  0x0055: 'MP3', 0x00ff: 'AAC', 0x0161: 'Windows Media Audio', 0x1610: 'AAC (HE-AAC)', 0xf1ac: 'FLAC',
};

function fail(path: string, problem: string): never {
  throw new UserError(`${path}: ${problem}`);
}

/**
 * Locate the top-level data chunk. Done here rather than through wavefile because its chunk
 * index is private (and mangled in its build), and the declared size is needed to detect truncation.
 */
function findDataChunk(bytes: Buffer, le: boolean): { start: number; size: number } | undefined {
  for (let pos = 12; pos + 8 <= bytes.length; ) {
    const size = le ? bytes.readUInt32LE(pos + 4) : bytes.readUInt32BE(pos + 4);
    if (bytes.toString('latin1', pos, pos + 4) === 'data') return { start: pos + 8, size };
    pos += 8 + size + (size & 1); // chunks are padded to an even length
  }
  return undefined;
}

/** Decode interleaved integer or float PCM; `bytes` is the container size of one sample. */
function decodePcm(view: DataView, frames: number, nch: number, bytes: number, float: boolean, le: boolean): Float32Array[] {
  const out = Array.from({ length: nch }, () => new Float32Array(frames));
  let p = 0;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nch; c++, p += bytes) {
      let v: number;
      if (float) v = bytes === 4 ? view.getFloat32(p, le) : view.getFloat64(p, le);
      else if (bytes === 1) v = (view.getUint8(p) - 128) / 128; // 8-bit WAV is unsigned
      else if (bytes === 2) v = view.getInt16(p, le) / 32768;
      else if (bytes === 3) {
        const lo = le ? view.getUint8(p) | (view.getUint8(p + 1) << 8) : view.getUint8(p + 2) | (view.getUint8(p + 1) << 8);
        const hi = view.getInt8(le ? p + 2 : p);
        v = (hi * 65536 + lo) / 8388608;
      } else v = view.getInt32(p, le) / 2147483648; // also 24-in-32 extensible: samples are left-justified
      out[c][f] = v;
    }
  }
  return out;
}

/**
 * Read a WAV file (RIFF, RIFX or RF64): integer PCM 8/16/24/32-bit, IEEE float 32/64,
 * A-law and mu-law, any channel count, plain or WAVE_FORMAT_EXTENSIBLE.
 *
 * @throws UserError naming the file: missing, not a WAV, truncated, empty, unsupported format.
 */
export function readWav(path: string): WavAudio {
  const bytes = readInputFile(path, 'WAV file', INPUT_LIMITS.mediaFileBytes);
  if (bytes.length === 0) fail(path, 'file is empty');
  const magic = bytes.toString('latin1', 0, 4);
  if (bytes.length < 12 || !['RIFF', 'RIFX', 'RF64'].includes(magic) || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    fail(path, 'not a WAV file (no RIFF/WAVE header)');
  }

  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes, false); // header only: the samples are decoded below, after the length checks
  } catch (e) {
    fail(path, `corrupt or truncated WAV (${(e as Error).message})`);
  }
  const h = wav as unknown as WavHeader;
  const { numChannels: nch, sampleRate, blockAlign, bitsPerSample } = h.fmt;
  if (nch < 1 || sampleRate < 1 || blockAlign < 1) fail(path, 'corrupt WAV (invalid fmt chunk)');
  const rate = rangeProblem(sampleRate, INPUT_LIMITS.minSampleRate, INPUT_LIMITS.maxSampleRate, true);
  if (rate) fail(path, `sample rate ${rate.replace(/ is /, ' Hz is ')}`);
  if (nch > INPUT_LIMITS.audioChannels) fail(path, `${nch} channels, more than the ${INPUT_LIMITS.audioChannels} allowed`);
  let code = h.fmt.audioFormat;
  // Extensible files carry the real format code in the first two bytes of the subformat GUID.
  if (code === WAVE_FORMAT_EXTENSIBLE && h.fmt.subformat?.length) code = h.fmt.subformat[0] & 0xffff;
  const bytesPerSample = blockAlign / nch;
  const supported =
    (code === 1 && [1, 2, 3, 4].includes(bytesPerSample)) ||
    (code === 3 && (bytesPerSample === 4 || bytesPerSample === 8)) ||
    ((code === 6 || code === 7) && bytesPerSample === 1);
  if (!supported) {
    const kind = code === 1 ? `${bitsPerSample}-bit PCM` : code === 3 ? `${bitsPerSample}-bit float` : undefined;
    const name = kind ?? FORMAT_NAMES[code] ?? `format code 0x${code.toString(16).padStart(4, '0')}`;
    fail(path, `unsupported WAV encoding: ${name} (use PCM 8/16/24/32-bit, float 32/64, A-law or mu-law)`);
  }

  const le = h.container !== 'RIFX';
  const chunk = findDataChunk(bytes, le);
  if (!chunk) fail(path, 'corrupt or truncated WAV (no data chunk)');
  const available = bytes.length - chunk.start;
  let declared = chunk.size;
  if (h.container === 'RF64' && declared === 0xffffffff) declared = h.ds64.dataSizeHigh * 2 ** 32 + h.ds64.dataSizeLow;
  // Streaming writers that cannot seek back leave 0xFFFFFFFF: "until the end of the file".
  else if (declared === 0xffffffff) declared = available;
  if (declared > available) {
    fail(path, `truncated WAV (data chunk declares ${declared} bytes, only ${available} present)`);
  }
  const frames = Math.floor(declared / blockAlign);
  if (frames === 0) fail(path, 'WAV has no samples (empty data chunk)');

  const start = chunk.start;
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, frames * blockAlign);
  let channels: Float32Array[];
  if (code === 6 || code === 7) {
    // wavefile's G.711 decoders expand to 16-bit PCM; the pad byte must not become a sample.
    h.data.samples = bytes.subarray(start, start + frames * blockAlign);
    if (code === 6) wav.fromALaw();
    else wav.fromMuLaw();
    const pcm = wav.getSamples(true, Float64Array) as unknown as Float64Array;
    channels = Array.from({ length: nch }, (_, c) => Float32Array.from({ length: frames }, (_, f) => pcm[f * nch + c] / 32768));
  } else {
    channels = decodePcm(view, frames, nch, bytesPerSample, code === 3, le);
    if (code === 3) {
      // NaN or infinite float samples would silently turn into silence or a blown-out normalisation
      channels.forEach((ch, c) => {
        const bad = ch.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) fail(path, `sample ${bad} of channel ${c + 1} is not a finite number (${ch[bad]})`);
      });
    }
  }
  return { sampleRate, channels };
}

/**
 * Write a WAV file atomically: 16-bit PCM or 32-bit IEEE float, one or more channels.
 *
 * int16 scales by 32768 (rounded, clipped to [-32768, 32767]) so that reading an int16 file and
 * writing it back reproduces the samples exactly; float32 stores the values unchanged.
 */
export function writeWav(path: string, channels: Float32Array[], sampleRate: number, format: 'int16' | 'float32'): void {
  if (channels.length < 1) throw new Error('writeWav: no channels');
  const n = channels[0].length;
  if (channels.some((c) => c.length !== n)) throw new Error('writeWav: channels differ in length');
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new Error(`writeWav: invalid sample rate ${sampleRate}`);
  const data = channels.map((ch) => {
    if (format === 'float32') return ch;
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const v = Math.round(ch[i] * 32768);
      // NaN would otherwise become 0 silently anyway; make that explicit rather than accidental.
      out[i] = Number.isNaN(v) ? 0 : v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return out;
  });
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels.length, sampleRate, format === 'int16' ? '16' : '32f', data);
  writeFileAtomic(path, wav.toBuffer());
}
