import { imageToAudio } from '../../convert/imageToAudio.js';
import type { RgbImage } from '../../io/rgbImage.js';
import type { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import type { ImageChannels } from '../../spectrogram/image.js';
import type { SpectrogramParams } from '../../spectrogram/params.js';

/**
 * A sound-picture as a stereo segment: reconstructed as one period of a loop (so a late next
 * segment can be covered by repeating this one without a click), mono images on both sides.
 */
export async function pictureAudio(picture: RgbImage, params: SpectrogramParams, pool: ReconstructionPool,
  channels?: ImageChannels): Promise<readonly [Float32Array, Float32Array]> {
  const tracks = await imageToAudio({ ...picture, text: {} }, params, pool, { circular: true, ...(channels ? { channels } : {}) });
  return [tracks[0]!, tracks[1] ?? tracks[0]!];
}
