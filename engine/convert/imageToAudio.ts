import type { PngImage } from '../io/png.js';
import { peakNormalize } from '../dsp/normalize.js';
import type { ReconstructionPool } from '../reconstruct/reconstructionPool.js';
import { type ReconstructOptions, reconstructAudio } from '../reconstruct/reconstructAudio.js';
import { imageToSpectrogram } from '../spectrogram/image.js';
import type { SoundPictureOptions } from '../soundPicture/loopAudio.js';
import type { SpectrogramParams } from '../spectrogram/params.js';

/** The shared sound-picture options (channels, saturation, iterations) plus reconstruction details. */
export interface ImageToAudioOptions extends ReconstructOptions, SoundPictureOptions {
  /** peak level of the output; default -0.1 dBFS (Riffusion's); null = leave unnormalised */
  readonly peakDbfs?: number | null;
}

/**
 * A sound-picture image -> audio tracks at params.sampleRate: colour channels to mel magnitudes,
 * NNLS inverse mel, phase-gradient start + fast Griffin-Lim, peak normalisation.
 */
export async function imageToAudio(image: PngImage, params: SpectrogramParams, pool: ReconstructionPool,
  options: ImageToAudioOptions = {}): Promise<Float32Array[]> {
  const channels = options.channels ?? (params.stereo ? 'gb' : 'r');
  const mel = imageToSpectrogram(image, { channels, powerForImage: params.powerForImage, saturation: options.saturation ?? 1 });
  const audio = await reconstructAudio(mel, image.width, params, pool, options);
  if (options.peakDbfs !== null) peakNormalize(audio, options.peakDbfs ?? -0.1);
  return audio;
}
