import type { RgbImage } from '../io/rgbImage.js';
import { boostSaturation } from './saturation.js';

/**
 * Spectrogram <-> image conversion, Riffusion-compatible (riffusion-hobby `util/image_util.py`).
 *
 * A spectrogram channel is a Float32Array of numMels * numFrames magnitudes, indexed
 * [mel * numFrames + frame], mel 0 = lowest frequency. In the image, x = frame and the rows are
 * flipped (row 0 = highest mel bin) so that low frequencies sit at the bottom.
 * Loud is dark: pixel = 255 - 255 * (S / max) ^ powerForImage.
 */

/** Riffusion's fixed amplitude scale when reading images (the EXIF max is ignored on purpose). */
export const DEFAULT_IMAGE_MAX_VALUE = 30e6;

/**
 * Which colour channels become audio tracks, in output order:
 * - `'r'`: Riffusion mono (it reads R only; seed images are grey so R = G = B anyway).
 * - `'gb'`: Riffusion stereo, G = left, B = right (R is written as 0).
 * - `'rg'`: the sound-picture (SyDNEy) convention, R = left, G = right, B ignored.
 * - `'rgb'`: three mono tracks R, G, B.
 * - `'g'`, `'b'`: a single channel.
 * Reading an R/G picture as `'gb'` silently drops its left channel, so pick deliberately.
 */
export type ImageChannels = 'r' | 'g' | 'b' | 'gb' | 'rg' | 'rgb';

export interface ImageToSpectrogramOptions {
  readonly channels: ImageChannels;
  readonly powerForImage: number;
  /** amplitude of a black pixel; default 30e6 like Riffusion (output is usually peak-normalised later) */
  readonly maxValue?: number;
  /** colour-saturation boost applied before conversion (see `boostSaturation`); 1 = none */
  readonly saturation?: number;
}

/**
 * Render 1 (mono: R = G = B) or 2 (stereo: R = 0, G = left, B = right) spectrogram channels as
 * an RGB image, normalised by one global maximum over all channels (or `maxValue` if given),
 * with Riffusion's truncation to uint8. Values are clamped to 0..255, so a `maxValue` below
 * the data's maximum saturates to black instead of wrapping.
 *
 * @returns the image and the maximum used (Riffusion stores it as EXIF MAX_VALUE).
 */
export function spectrogramToImage(
  channels: Float32Array[],
  numMels: number,
  numFrames: number,
  powerForImage: number,
  maxValue?: number,
): RgbImage & { maxValue: number } {
  if (channels.length !== 1 && channels.length !== 2) throw new Error(`spectrogramToImage: expected 1 or 2 channels, got ${channels.length}`);
  const size = numMels * numFrames;
  if (channels.some((c) => c.length !== size)) throw new Error(`spectrogramToImage: each channel must hold ${numMels} x ${numFrames} values`);
  let max = maxValue ?? 0;
  if (maxValue === undefined) for (const ch of channels) for (let i = 0; i < size; i++) if (ch[i] > max) max = ch[i];

  const toPixel = (s: number): number => pixelOf(s, max, powerForImage);
  const rgb = new Uint8Array(size * 3);
  const stereo = channels.length === 2;
  for (let mel = 0; mel < numMels; mel++) {
    const row = numMels - 1 - mel;
    for (let f = 0; f < numFrames; f++) {
      const i = mel * numFrames + f;
      const o = (row * numFrames + f) * 3;
      if (stereo) {
        rgb[o] = 0;
        rgb[o + 1] = toPixel(channels[0][i]);
        rgb[o + 2] = toPixel(channels[1][i]);
      } else {
        rgb[o] = rgb[o + 1] = rgb[o + 2] = toPixel(channels[0][i]);
      }
    }
  }
  return { width: numFrames, height: numMels, rgb, maxValue: max };
}

/**
 * One magnitude as an image pixel, Riffusion's mapping: 255 - 255 * (s / max) ^ powerForImage,
 * truncated and clamped to 0..255 (loud is dark). `max <= 0` (an all-silent input) gives white
 * rather than 0/0 = NaN.
 */
export function pixelOf(s: number, max: number, powerForImage: number): number {
  const x = max > 0 && s > 0 ? Math.pow(s / max, powerForImage) : 0;
  const p = Math.trunc(255 - 255 * x);
  return p < 0 ? 0 : p > 255 ? 255 : p;
}

/**
 * Read colour channels of an image as spectrogram magnitudes:
 * S = ((255 - p) / 255) ^ (1 / powerForImage) * maxValue, one Float32Array per listed channel,
 * each image.height (mels) x image.width (frames), rows flipped back so mel 0 is the bottom row.
 */
export function imageToSpectrogram(image: RgbImage, opts: ImageToSpectrogramOptions): Float32Array[] {
  const { width, height } = image;
  if (image.rgb.length !== width * height * 3) throw new Error(`imageToSpectrogram: rgb does not match ${width}x${height}`);
  if (!(opts.powerForImage > 0)) throw new Error(`imageToSpectrogram: powerForImage must be > 0 (got ${opts.powerForImage})`);
  const maxValue = opts.maxValue ?? DEFAULT_IMAGE_MAX_VALUE;
  const saturation = opts.saturation ?? 1;
  const pixels: ArrayLike<number> = saturation === 1 ? image.rgb : boostSaturation(image.rgb, saturation);
  const exponent = 1 / opts.powerForImage;
  // 8-bit input has only 256 possible levels: a lookup table avoids a pow per pixel.
  const lut = new Float32Array(256);
  for (let p = 0; p < 256; p++) lut[p] = Math.pow((255 - p) / 255, exponent) * maxValue;
  const quantised = pixels === image.rgb;

  return [...opts.channels].map((letter) => {
    const offset = 'rgb'.indexOf(letter);
    if (offset < 0) throw new Error(`imageToSpectrogram: unknown channel selection '${opts.channels}'`);
    const out = new Float32Array(width * height);
    for (let row = 0; row < height; row++) {
      const mel = height - 1 - row;
      for (let x = 0; x < width; x++) {
        const p = pixels[(row * width + x) * 3 + offset];
        out[mel * width + x] = quantised ? lut[p] : Math.pow((255 - p) / 255, exponent) * maxValue;
      }
    }
    return out;
  });
}
