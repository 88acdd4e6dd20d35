import { monoMix } from '../dsp/monoMix.js';
import { resample } from '../dsp/resample.js';
import { MelAnalyzer } from '../dsp/melSpectrogram.js';
import type { WavAudio } from '../io/wav.js';
import type { RgbImage } from '../io/rgbImage.js';
import { spectrogramToImage } from '../spectrogram/image.js';
import type { SpectrogramParams } from '../spectrogram/params.js';

/**
 * What becomes the image: `mono` = the mix (mean) of all channels, grey; `stereo` = Riffusion's
 * stereo image (R = 0, G = left, B = right, one shared maximum); `left` / `right` = that channel
 * alone, grey, on the stereo image's level scale (normalised by the maximum over both channels),
 * which is how Riffusion's own clip_2_left.png was made.
 */
export type AudioToImageMode = 'mono' | 'stereo' | 'left' | 'right';

export interface SpectrogramImage {
  readonly image: RgbImage;
  /** the mel maximum the image is normalised by (EXIF MAX_VALUE) */
  readonly maxValue: number;
  readonly params: SpectrogramParams;
}

/** Audio -> Riffusion spectrogram image. Audio at another rate is resampled (band-limited) first. */
export function audioToImage(wav: WavAudio, mode: AudioToImageMode, params: SpectrogramParams): SpectrogramImage {
  const tracks = wav.channels.map((c) => (wav.sampleRate === params.sampleRate ? c : resample(c, wav.sampleRate, params.sampleRate)));
  const analyzer = new MelAnalyzer(params);
  const first = tracks[0]!;
  const second = tracks[1] ?? first;
  let mels: Float32Array[];
  if (mode === 'mono') {
    mels = [analyzer.analyze(monoMix(tracks)).data];
  } else {
    mels = [analyzer.analyze(first).data, analyzer.analyze(second).data];
  }
  const numFrames = mels[0]!.length / params.numFrequencies;
  let max = 0;
  for (const m of mels) for (let i = 0; i < m.length; i++) if (m[i]! > max) max = m[i]!;
  const selected = mode === 'left' ? [mels[0]!] : mode === 'right' ? [mels[1]!] : mels;
  const { maxValue, ...image } = spectrogramToImage(selected, params.numFrequencies, numFrames, params.powerForImage, max);
  return { image, maxValue, params: { ...params, stereo: mode === 'stereo' } };
}
