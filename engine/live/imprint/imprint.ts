import type { RgbImage } from '../../io/rgbImage.js';
import { resizeBilinear } from './resize.js';

/**
 * How the picture's colour is used:
 * - `'grey'` (default): one mask from the picture's grey (mean of R, G, B) applied to every
 *   channel of the beat. The beat's colour balance is kept (a grey beat stays grey), so the
 *   result reads the same whichever channels are turned into audio (Riffusion mono reads R only).
 * - `'colour'`: each channel of the beat is masked by the same channel of the picture, so a
 *   coloured picture shows in colour. Under the sound-picture stereo reading (`--channels rg`,
 *   R = left, G = right) a red area quietens the left channel only, i.e. the picture's colour
 *   becomes stereo placement. In mono (R only) only the picture's red channel is heard.
 */
export type ImprintColourMode = 'grey' | 'colour';

export interface ImprintOptions {
  readonly colour?: ImprintColourMode;
}

/**
 * Imprint a picture on a beat's sound-picture: the Images that Sound "imprint" baseline
 * (S′ = S ⊙ (1 − k · I′)), adapted to Synesthete's dark = loud format.
 *
 * Per channel, the pixel p becomes the amplitude a = 1 − p / 255 (the image's power-0.25 domain,
 * 1 = loud), a is multiplied by M = 1 − k · g with g ∈ [0, 1] the picture's grey (1 = white), and
 * written back as 255 · (1 − a · M), rounded. White picture areas thus make the beat quieter,
 * which shows lighter, so the picture appears the right way round in the dark = loud display;
 * black areas keep the beat exactly. Images that Sound inverts its picture (I′ = 1 − I) for the
 * same reason in its bright = loud format; its fixed strength 0.5 is `k` here.
 *
 * Loudness: M scales the power-0.25 amplitude, so the linear amplitude is scaled by M⁴ (white at
 * k = 0.5: × 1/16, −24 dB; k = 1: silence). Audio conversion peak-normalises, so what is heard is
 * the contrast between picture areas, not an overall level change.
 *
 * @param beat the beat's sound-picture; its size is the result's size
 * @param picture any size; resized (bilinear) to the beat's size
 * @param k strength, clamped to [0, 1]; 0 returns an exact copy of the beat
 * @returns a new image; the inputs are not modified
 * @throws RangeError for a NaN `k` or an image whose `rgb` does not match its size
 */
export function imprint(beat: RgbImage, picture: RgbImage, k: number, options: ImprintOptions = {}): RgbImage {
  if (Number.isNaN(k)) throw new RangeError('imprint: strength k must be a number from 0 to 1, got NaN');
  checkImage(beat, 'beat');
  checkImage(picture, 'picture');
  const strength = Math.min(1, Math.max(0, k));
  const { width, height } = beat;
  if (strength === 0) return { width, height, rgb: beat.rgb.slice() };

  const pic = resizeBilinear(picture, width, height).rgb;
  const src = beat.rgb;
  const out = new Uint8Array(src.length);
  const perChannel = (options.colour ?? 'grey') === 'colour';
  for (let i = 0; i < src.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const g = perChannel ? pic[i + c]! / 255 : (pic[i]! + pic[i + 1]! + pic[i + 2]!) / 765;
      const a = 1 - src[i + c]! / 255;
      out[i + c] = Math.round(255 * (1 - a * (1 - strength * g)));
    }
  }
  return { width, height, rgb: out };
}

function checkImage(image: RgbImage, name: string): void {
  if (!(image.width >= 1 && image.height >= 1) || image.rgb.length !== image.width * image.height * 3) {
    throw new RangeError(`imprint: ${name} rgb does not match ${image.width}x${image.height}`);
  }
}
