import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { type AudioToImageMode, audioToImage } from '../../convert/audioToImage.js';
import { UserError } from '../../errors.js';
import { checkOutputExtension } from '../../io/outputFormat.js';
import { writePng } from '../../io/png.js';
import { readWav } from '../../io/wav.js';
import { encodeSpectrogramExif } from '../../spectrogram/exif.js';
import { resolveParams } from '../../spectrogram/params.js';
import { phaseProgress } from '../phaseProgress.js';
import { runAction } from '../runAction.js';
import { type SpectrogramOptionValues, addSpectrogramOptions, checkSpectrogramParams, spectrogramOverrides } from '../spectrogramOptions.js';

interface AudioToImageOptions extends SpectrogramOptionValues {
  readonly stereo?: boolean;
  readonly channel?: 'left' | 'right';
}

/** PNG tEXt keyword for the recipe, so a picture says what it was made from. */
export const RECIPE_TEXT_KEY = 'synesthete';

function modeOf(opts: AudioToImageOptions): AudioToImageMode {
  if (opts.stereo && opts.channel) throw new UserError('--stereo and --channel cannot be combined (--stereo already holds both channels)');
  return opts.stereo ? 'stereo' : opts.channel ?? 'mono';
}

/** `audio-to-image IN.wav OUT.png`: a WAV file -> Riffusion spectrogram image with its EXIF tags. */
export function audioToImageCommand(): Command {
  const command = new Command('audio-to-image')
    .summary('WAV -> Riffusion spectrogram PNG (mono, stereo or one channel)')
    .description(
      'Render a WAV file as a Riffusion spectrogram image (PNG with Riffusion\'s EXIF tags). ' +
      'Mono by default (the mix of all channels); audio at another sample rate is resampled first.')
    .argument('<in.wav>', 'input WAV: PCM 8/16/24/32-bit, float 32/64, A-law or mu-law, any sample rate and channel count')
    .argument('<out.png>', 'output PNG (written atomically: nothing is left behind on error)')
    .option('--stereo', 'Riffusion stereo image: R = 0, G = left, B = right (a mono WAV gives G = B)')
    .addOption(new Option('--channel <name>', 'one channel alone, as a grey image on the stereo level scale (a mono WAV: its only channel) (default: the mix)')
      .choices(['left', 'right']));
  addSpectrogramOptions(command, 'riffusion');
  return command
    .addHelpText('after', `
Examples:
  $ synesthete audio-to-image clip.wav clip.png
  $ synesthete audio-to-image clip.wav clip_stereo.png --stereo
  $ synesthete audio-to-image clip.wav clip_left.png --channel left
  $ synesthete audio-to-image clip.wav wide.png --min-freq 20 --max-freq 20000`)
    .action(runAction(async (input: string, output: string, opts: AudioToImageOptions) => {
      checkOutputExtension(output, ['.png'], 'a PNG image');
      const mode = modeOf(opts);
      const params = resolveParams(spectrogramOverrides(opts));
      checkSpectrogramParams(params);
      const progress = phaseProgress(['read', 'analyse', 'write']);
      let result: ReturnType<typeof audioToImage>;
      try {
        const wav = readWav(input);
        progress.phase('analyse');
        result = audioToImage(wav, mode, params);
        progress.phase('write');
        writePng(output, result.image, {
          exif: encodeSpectrogramExif(result.params, result.maxValue),
          text: { [RECIPE_TEXT_KEY]: JSON.stringify({ command: 'audio-to-image', source: basename(input), mode }) },
        });
      } finally {
        progress.stop();
      }
      const { width, height } = result.image;
      process.stdout.write(`${output}: ${width}x${height} ${mode} spectrogram\n`);
    }));
}
