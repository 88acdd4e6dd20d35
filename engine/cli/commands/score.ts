import { Command } from 'commander';
import { spectrogramParamsOf } from '../../convert/spectrogramParamsOf.js';
import { MelAnalyzer } from '../../dsp/melSpectrogram.js';
import { monoMix } from '../../dsp/monoMix.js';
import { resample } from '../../dsp/resample.js';
import { spectralConvergence } from '../../dsp/spectralConvergence.js';
import { UserError } from '../../errors.js';
import { readPng } from '../../io/png.js';
import { type WavAudio, readWav } from '../../io/wav.js';
import { imageToSpectrogram } from '../../spectrogram/image.js';
import { runAction } from '../runAction.js';
import { type SpectrogramOptionValues, addSpectrogramOptions, checkSpectrogramParams, spectrogramOverrides } from '../spectrogramOptions.js';

interface ScoreOptions extends SpectrogramOptionValues {
  readonly json?: boolean;
}

/** What `score` measures: how far the audio's mel spectrogram is from the one the image encodes. */
export interface ScoreResult {
  /** ||M_img - g M_audio||_F / ||M_img||_F, g the least-squares gain; lower is better */
  readonly spectralConvergence: number;
  /** columns compared: min(image width, audio frames) */
  readonly columns: number;
}

/** The mean of all channels at `sampleRate`, as audio-to-image's mono mode hears it. */
function monoAt(wav: WavAudio, sampleRate: number): Float32Array {
  const mix = monoMix(wav.channels);
  return wav.sampleRate === sampleRate ? mix : resample(mix, wav.sampleRate, sampleRate);
}

/** `score IMAGE.png AUDIO.wav`: mel spectral convergence of audio against the image it should sound like. */
export function scoreCommand(): Command {
  const command = new Command('score')
    .summary('how closely audio matches a spectrogram image (mel spectral convergence)')
    .description(
      'Mel spectral convergence of AUDIO against IMAGE: ||M_img - g M_audio|| / ||M_img|| over the columns both ' +
      'have, where M_img is the image\'s mel magnitude (R channel, the power undone), M_audio the mel magnitude of ' +
      'the audio (mono mix) computed with the same parameters, and g the least-squares gain (the image has no ' +
      'absolute level). 0 = identical; lower is better.')
    .argument('<image.png>', 'spectrogram image; its Riffusion EXIF tags give the parameters, else Riffusion\'s defaults')
    .argument('<audio.wav>', 'audio to compare (mixed to mono, resampled to the image\'s sample rate if needed)')
    .option('--json', 'print one JSON object {"spectralConvergence", "columns"} instead of the text line');
  addSpectrogramOptions(command, 'image');
  return command
    .addHelpText('after', `
Examples:
  $ synesthete image-to-audio og_beat.png og_beat.wav
  $ synesthete score og_beat.png og_beat.wav
  spectral convergence: 0.1700 (512 columns)
  $ synesthete score og_beat.png og_beat.wav --json
  {"spectralConvergence":0.17003,"columns":512}

Reads the R channel only, as Riffusion's mono reader does: for a Riffusion stereo image (R = 0) the score is
meaningless; score its mono rendering instead.`)
    .action(runAction((imageFile: string, audioFile: string, opts: ScoreOptions) => {
      const overrides = spectrogramOverrides(opts);
      const image = readPng(imageFile);
      const params = spectrogramParamsOf(image, imageFile, overrides);
      checkSpectrogramParams(params, imageFile);
      const wav = readWav(audioFile);

      const imageMel = imageToSpectrogram(image, { channels: 'r', powerForImage: params.powerForImage })[0]!;
      // Different absolute scales (30e6 for images, int16 units for audio): the gain g absorbs it.
      const audioMel = new MelAnalyzer(params).analyze(monoAt(wav, params.sampleRate));
      const columns = Math.min(image.width, audioMel.numFrames);
      if (!imageMel.some((v) => v > 0)) throw new UserError(`${imageFile}: the image is blank (white: silence), there is nothing to compare`);
      const result: ScoreResult = {
        spectralConvergence: spectralConvergence(imageMel, image.width, audioMel.data, audioMel.numFrames, params.numFrequencies, columns),
        columns,
      };
      process.stdout.write(opts.json
        ? `${JSON.stringify(result)}\n`
        : `spectral convergence: ${result.spectralConvergence.toFixed(4)} (${columns} columns)\n`);
    }));
}
