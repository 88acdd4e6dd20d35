import { peakNormalize } from '../../dsp/normalize.js';
import { fitToBars, resampleColumns, stretchLoop } from '../../dsp/tempoFit.js';
import type { RgbImage } from '../../io/rgbImage.js';
import type { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import { type LoopBuffers, reconstructLoopInto } from '../../reconstruct/reconstructAudio.js';
import { type ImageChannels, imageToSpectrogram } from '../../spectrogram/image.js';
import { type SpectrogramParams, frameSizes } from '../../spectrogram/params.js';

/**
 * A sound-picture as a stereo segment: reconstructed as one period of a loop (so a late next
 * segment can be covered by repeating this one without a click), mono images on both sides.
 * With a tempo, the loop is fitted to a whole number of bars (pitch unchanged: the spectrogram's
 * time axis is resampled before phase reconstruction; see tempoFit.ts).
 */
export async function pictureAudio(picture: RgbImage, params: SpectrogramParams, pool: ReconstructionPool,
  buffers: LoopBuffers, channels?: ImageChannels, tempoBpm?: number | null): Promise<readonly [Float32Array, Float32Array]> {
  const chosen = channels ?? (params.stereo ? 'gb' : 'r');
  let mel = imageToSpectrogram(picture, { channels: chosen, powerForImage: params.powerForImage });
  let columns = picture.width;
  let exact: number | undefined;
  if (tempoBpm) {
    const { hopLength } = frameSizes(params);
    const fit = fitToBars(columns, hopLength, params.sampleRate, tempoBpm);
    mel = mel.map((m) => resampleColumns(m, params.numFrequencies, columns, fit.columns));
    columns = fit.columns;
    exact = fit.samples;
  }
  let tracks = await reconstructLoopInto(buffers, mel, columns, params, pool);
  if (exact !== undefined) tracks = tracks.map((t) => stretchLoop(t, exact!));
  peakNormalize(tracks);
  return [tracks[0]!, tracks[1] ?? tracks[0]!];
}
