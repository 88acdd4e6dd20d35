/** Sample encodings a streamed WAV can use. */
export type WavSampleFormat = 'float32' | 'int16';

/**
 * Size of the header {@link writeWavHeader} writes; the samples start at this byte offset.
 *
 * Layout: `RIFF` size `WAVE` | `JUNK` (28 bytes) | `fmt ` (16 bytes) | `data` size | samples.
 * The 28-byte JUNK chunk is the EBU Tech 3306 placeholder for a `ds64` chunk: when a live recording
 * passes 4 GiB (about 3.4 h of float32 stereo at 44.1 kHz) the header is rewritten in place as RF64
 * without moving any samples. Readers skip JUNK, so below 4 GiB this is a plain RIFF WAVE.
 */
export const WAV_HEADER_BYTES = 80;

const JUNK_BYTES = 28;
const UINT32_MAX = 0xffffffff;

/** Bytes per sample for a format. */
export function bytesPerSample(format: WavSampleFormat): number {
  return format === 'float32' ? 4 : 2;
}

/**
 * Write a complete WAV header for `dataBytes` bytes of samples into `target[0..80)`, in place
 * (the file sink rewrites it every second, so it must not allocate).
 *
 * Uses RF64 with a `ds64` chunk (EBU Tech 3306: riff size, data size and sample count as
 * little-endian low/high 32-bit words, then a zero table length) when the RIFF size would not fit
 * in 32 bits; otherwise plain RIFF with a JUNK placeholder.
 *
 * @param target buffer of at least {@link WAV_HEADER_BYTES} bytes
 * @param dataBytes bytes of sample data following the header (a multiple of the frame size)
 * @example
 * ```ts
 * const header = Buffer.alloc(WAV_HEADER_BYTES);
 * writeWavHeader(header, 'float32', 2, 44100, framesSoFar * 8); // then write it at offset 0
 * ```
 */
export function writeWavHeader(target: Buffer, format: WavSampleFormat, channels: number, sampleRate: number, dataBytes: number): void {
  const sampleBytes = bytesPerSample(format);
  const blockAlign = channels * sampleBytes;
  const riffBytes = WAV_HEADER_BYTES - 8 + dataBytes;
  const rf64 = riffBytes > UINT32_MAX;

  target.fill(0, 0, WAV_HEADER_BYTES);
  target.write(rf64 ? 'RF64' : 'RIFF', 0, 'latin1');
  target.writeUInt32LE(rf64 ? UINT32_MAX : riffBytes, 4);
  target.write('WAVE', 8, 'latin1');

  target.write(rf64 ? 'ds64' : 'JUNK', 12, 'latin1');
  target.writeUInt32LE(JUNK_BYTES, 16);
  if (rf64) {
    writeUInt64LE(target, 20, riffBytes);
    writeUInt64LE(target, 28, dataBytes);
    writeUInt64LE(target, 36, dataBytes / blockAlign);
    // bytes 44..47: table length 0 (already zero)
  }

  target.write('fmt ', 48, 'latin1');
  target.writeUInt32LE(16, 52);
  target.writeUInt16LE(format === 'float32' ? 3 : 1, 56); // WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM
  target.writeUInt16LE(channels, 58);
  target.writeUInt32LE(sampleRate, 60);
  target.writeUInt32LE(sampleRate * blockAlign, 64);
  target.writeUInt16LE(blockAlign, 68);
  target.writeUInt16LE(sampleBytes * 8, 70);

  target.write('data', 72, 'latin1');
  target.writeUInt32LE(rf64 ? UINT32_MAX : dataBytes, 76);
}

/** Two little-endian 32-bit words, low first, as RF64 stores 64-bit sizes. */
function writeUInt64LE(target: Buffer, offset: number, value: number): void {
  target.writeUInt32LE(value % 2 ** 32, offset);
  target.writeUInt32LE(Math.floor(value / 2 ** 32), offset + 4);
}
