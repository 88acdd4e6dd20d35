import { UserError } from '../errors.js';
import type { PngImage } from '../io/png.js';
import { decodeSpectrogramExif } from '../spectrogram/exif.js';
import { type SpectrogramParams, paramsLimitProblem, resolveParams } from '../spectrogram/params.js';

/**
 * The spectrogram parameters an image was made with: its Riffusion EXIF tags where present, the
 * defaults (Riffusion v1: 44.1 kHz, 512 mels, 0-10 kHz) where not, then `overrides`. The image's
 * height must equal the mel bin count.
 */
export function spectrogramParamsOf(image: PngImage, file: string, overrides: Partial<SpectrogramParams> = {}): SpectrogramParams {
  let fromExif: Partial<SpectrogramParams> = {};
  if (image.exif) {
    try {
      fromExif = decodeSpectrogramExif(image.exif).params;
    } catch (e) {
      throw new UserError(`${file}: unreadable spectrogram EXIF (${(e as Error).message})`);
    }
  }
  const params = resolveParams({ ...fromExif, ...overrides });
  const limit = paramsLimitProblem(params);
  if (limit) throw new UserError(`${file}: ${limit} (from its EXIF or the options)`);
  if (image.width < 2) throw new UserError(`${file}: image is ${image.width} column wide; at least 2 columns are needed to make sound`);
  if (image.height !== params.numFrequencies) {
    throw new UserError(`${file}: image height ${image.height} does not match ${params.numFrequencies} mel bins (set --mels or use a ${params.numFrequencies}-pixel-high image)`);
  }
  return params;
}
