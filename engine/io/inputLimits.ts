/**
 * The ranges every number read from a file (image header, EXIF, WAV header, preset, journal) must
 * fall in, checked before anything is allocated from it. One table, so that a file cannot claim
 * its way past one reader's check through another reader. docs/reliability.md explains the choices.
 */
export const INPUT_LIMITS = Object.freeze({
  /** widest or tallest image side, pixels (65536 columns are 11 minutes at Riffusion's 10 ms) */
  imageSide: 65536,
  /** pixels per image: 512 mels x 65536 columns, about 130 MB as RGBA while decoding */
  imagePixels: 512 * 65536,
  /** audio sample rates, Hz: telephone 8 kHz down to 1 kHz, studio 768 kHz at most */
  minSampleRate: 1000,
  maxSampleRate: 768_000,
  /** channels of an audio file */
  audioChannels: 64,
  /** samples in one FFT frame (Riffusion's is 17640) */
  fftSamples: 1 << 17,
  /** the largest prime factor an FFT frame may have (larger ones fall back to a slow transform) */
  fftPrimeFactor: 31,
  /** mel bins (Riffusion's 512) */
  mels: 4096,
  /** mel bins x FFT bins of a filter bank (Riffusion's: 512 x 8821 = 4.5 million) */
  melCells: 1 << 25,
  /** bytes of a WAV, PNG or .npy file read whole into memory */
  mediaFileBytes: 1 << 30,
  /** bytes of a preset: the bundled ones are under 2 KB */
  presetBytes: 32 * 1024,
  /** preset width and height, pixels (Riffusion renders 512x512; SD 1.x was trained at 512) */
  presetSide: 2048,
  /** bytes of a session journal (a line per segment and command: hours of a show fit in a few MB) */
  journalBytes: 64 * 1024 * 1024,
});

/**
 * `undefined` when `value` is a finite number in [min, max] (and whole, if `integer`), else the
 * problem as a phrase ("1e12 is out of range (1000 to 768000)") for the caller to prefix with the
 * file and field.
 */
export function rangeProblem(value: unknown, min: number, max: number, integer = false): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${String(value)} is not a finite number`;
  if (integer && !Number.isInteger(value)) return `${value} is not a whole number`;
  if (value < min || value > max) return `${value} is out of range (${min} to ${max})`;
  return undefined;
}
