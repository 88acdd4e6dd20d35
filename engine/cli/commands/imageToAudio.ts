import { Command, Option } from 'commander';
import { imageToAudio } from '../../convert/imageToAudio.js';
import { spectrogramParamsOf } from '../../convert/spectrogramParamsOf.js';
import { UserError } from '../../errors.js';
import { checkOutputExtension } from '../../io/outputFormat.js';
import { readPng } from '../../io/png.js';
import { writeWav } from '../../io/wav.js';
import { DEFAULT_PHASE_OPTIONS } from '../../reconstruct/phaseOptions.js';
import { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import type { ImageChannels } from '../../spectrogram/image.js';
import { phaseProgress } from '../phaseProgress.js';
import { runAction } from '../runAction.js';
import { parseThreads } from '../threadsOption.js';
import { type SpectrogramOptionValues, addSpectrogramOptions, checkSpectrogramParams, spectrogramOverrides } from '../spectrogramOptions.js';

interface ImageToAudioCliOptions extends SpectrogramOptionValues {
  readonly stereo?: boolean;
  readonly channels?: ImageChannels;
  readonly iterations?: string;
  readonly saturation?: string;
  readonly loop?: boolean;
  readonly float?: boolean;
  readonly threads?: string;
}

const CHANNEL_CHOICES: readonly ImageChannels[] = ['r', 'g', 'b', 'gb', 'rg', 'rgb'];

/** Parse a numeric option; `integer` also demands a whole number. Both forms must be >= 0. */
function nonNegative(option: string, raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\s*$/.test(raw) ? NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UserError(`${option} ${JSON.stringify(raw)}: expected ${integer ? 'an integer' : 'a number'} >= 0`);
  }
  return value;
}

function channelsOf(opts: ImageToAudioCliOptions): ImageChannels | undefined {
  if (opts.stereo && opts.channels !== undefined && opts.channels !== 'gb') {
    throw new UserError(`--stereo (= --channels gb) conflicts with --channels ${opts.channels}`);
  }
  // undefined lets the library pick from the image's EXIF stereo flag, as Riffusion does.
  return opts.stereo ? 'gb' : opts.channels;
}

/** `image-to-audio IN.png OUT.wav`: a spectrogram image -> audio (inverse mel + phase reconstruction). */
export function imageToAudioCommand(): Command {
  const command = new Command('image-to-audio')
    .summary('spectrogram PNG -> WAV (Riffusion mono/stereo, sound-picture colour modes)')
    .description(
      'Turn a spectrogram image (Riffusion\'s, or any sound-picture) into a WAV file. Parameters come from ' +
      'the image\'s Riffusion EXIF tags, else Riffusion\'s defaults; options override both. ' +
      'The output is peak-normalised to -0.1 dBFS.')
    .argument('<in.png>', 'input PNG, 8 or 16-bit, RGB, RGBA (alpha ignored), greyscale or palette; height = mel bins')
    .argument('<out.wav>', 'output WAV (written atomically: nothing is left behind on error)')
    .option('--stereo', 'Riffusion stereo: same as --channels gb (G = left, B = right)')
    .addOption(new Option('--channels <c>',
      'colour channels -> tracks: r (Riffusion mono), gb (Riffusion stereo), rg (sound-picture: R = left, G = right), ' +
      'rgb (three tracks), g or b (default: gb if the image\'s EXIF says stereo, else r)')
      .choices(CHANNEL_CHOICES))
    .option('--iterations <n>', `Griffin-Lim iterations after the phase-gradient start (default: ${DEFAULT_PHASE_OPTIONS.iterations}; more = slower, slightly closer)`)
    .option('--saturation <s>', 'colour saturation boost before conversion: 1 = none, 0 = grey, > 1 widens stereo (default: 1)')
    .option('--loop', 'treat the image as one period of a loop: exactly width x hop samples that repeat seamlessly')
    .option('--float', 'write 32-bit float samples (default: 16-bit PCM)')
    .option('--threads <n>', 'worker threads for phase reconstruction, 0 = main thread (default: cores, at most 4)');
  addSpectrogramOptions(command, 'image');
  return command
    .addHelpText('after', `
Examples:
  $ synesthete image-to-audio og_beat.png og_beat.wav
  $ synesthete image-to-audio clip_stereo.png clip.wav --stereo --float
  $ synesthete image-to-audio picture.png picture.wav --channels rg --saturation 1.5
  $ synesthete image-to-audio og_beat.png beat_loop.wav --loop --iterations 16

Looping a WAV made with --loop: see docs/loop.md.`)
    .action(runAction(async (input: string, output: string, opts: ImageToAudioCliOptions) => {
      // Check every option before the slow work starts.
      checkOutputExtension(output, ['.wav'], 'a WAV file');
      const channels = channelsOf(opts);
      const iterations = nonNegative('--iterations', opts.iterations, true);
      const saturation = nonNegative('--saturation', opts.saturation, false) ?? 1;
      const threads = parseThreads(opts.threads);
      const overrides = spectrogramOverrides(opts);

      const progress = phaseProgress(['read', 'reconstruct', 'write']);
      const pool = new ReconstructionPool({ threads });
      let summary: string;
      try {
        const image = readPng(input);
        const params = spectrogramParamsOf(image, input, overrides);
        checkSpectrogramParams(params, input);
        progress.phase('reconstruct');
        const audio = await imageToAudio(image, params, pool, { channels, saturation, iterations, circular: opts.loop === true });
        progress.phase('write');
        writeWav(output, audio, params.sampleRate, opts.float ? 'float32' : 'int16');
        const samples = audio[0]?.length ?? 0;
        summary = `${output}: ${audio.length} channel${audio.length === 1 ? '' : 's'}, ` +
          `${(samples / params.sampleRate).toFixed(3)} s at ${params.sampleRate} Hz, ${opts.float ? '32-bit float' : '16-bit'}`;
      } finally {
        progress.stop();
        await pool.dispose();
      }
      process.stdout.write(`${summary}\n`);
    }));
}
