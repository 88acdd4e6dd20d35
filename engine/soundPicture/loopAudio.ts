import { peakNormalize } from '../dsp/normalize.js';
import { fitToBars, resampleColumns, stretchLoop } from '../dsp/tempoFit.js';
import type { RgbImage } from '../io/rgbImage.js';
import type { ReconstructionPool } from '../reconstruct/reconstructionPool.js';
import { type LoopBuffers, type ReconstructOptions, reconstructLoopInto } from '../reconstruct/reconstructAudio.js';
import { type ImageChannels, imageToSpectrogram } from '../spectrogram/image.js';
import { type SpectrogramParams, frameSizes } from '../spectrogram/params.js';

/** How a sound-picture is heard: the same options for `generate`, `image-to-audio` and the live sources. */
export interface SoundPictureOptions extends Pick<ReconstructOptions, 'iterations'> {
  /** colour channels -> tracks; default Riffusion's: 'gb' for stereo images, 'r' otherwise */
  readonly channels?: ImageChannels;
  /** colour saturation boost before conversion (1 = none) */
  readonly saturation?: number;
}

/** Fit a loop to whole bars of this tempo. */
export interface BarFit {
  readonly bpm: number;
  readonly beatsPerBar: number;
}

/**
 * A sound-picture as a stereo loop segment: reconstructed as one period of a loop (so a late next
 * segment can be covered by repeating this one without a click), mono images on both sides.
 * With a tempo, the loop is fitted to a whole number of bars (pitch unchanged: the spectrogram's
 * time axis is resampled before phase reconstruction; see tempoFit.ts). `bars` is null when free.
 */
export async function loopAudio(picture: RgbImage, params: SpectrogramParams, pool: ReconstructionPool, buffers: LoopBuffers,
  options: SoundPictureOptions = {}, fit: BarFit | null = null): Promise<{ audio: readonly [Float32Array, Float32Array]; bars: number | null }> {
  const channels = options.channels ?? (params.stereo ? 'gb' : 'r');
  let mel = imageToSpectrogram(picture, { channels, powerForImage: params.powerForImage, saturation: options.saturation ?? 1 });
  let columns = picture.width;
  let exact: number | undefined;
  let bars: number | null = null;
  if (fit) {
    const { hopLength } = frameSizes(params);
    const fitted = fitToBars(columns, hopLength, params.sampleRate, fit.bpm, fit.beatsPerBar);
    mel = mel.map((m) => resampleColumns(m, params.numFrequencies, columns, fitted.columns));
    columns = fitted.columns;
    exact = fitted.samples;
    bars = fitted.bars;
  }
  let tracks = await reconstructLoopInto(buffers, mel, columns, params, pool,
    options.iterations !== undefined ? { iterations: options.iterations } : {});
  if (exact !== undefined) tracks = tracks.map((t) => stretchLoop(t, exact!));
  peakNormalize(tracks);
  return { audio: [tracks[0]!, tracks[1] ?? tracks[0]!], bars };
}

/** The bar fit for a live segment: the settings' tempo, or null when free. */
export function barFitOf(settings: { tempoBpm: number | null; beatsPerBar: number }): BarFit | null {
  return settings.tempoBpm === null ? null : { bpm: settings.tempoBpm, beatsPerBar: settings.beatsPerBar };
}
