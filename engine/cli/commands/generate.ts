import { basename, extname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { imageToAudio } from '../../convert/imageToAudio.js';
import { GeneratorClient } from '../../diffusion/generatorClient.js';
import { gaussianNoise } from '../../diffusion/noiseGenerator.js';
import { presetRecipe } from '../../diffusion/presetRecipe.js';
import { VAE_FACTOR } from '../../diffusion/vae.js';
import { UserError } from '../../errors.js';
import { readNpy, writeNpy } from '../../io/npy.js';
import { checkOutputExtension } from '../../io/outputFormat.js';
import { checkOutputTargets, writeOutputs } from '../../io/outputSet.js';
import { readPng, writePng } from '../../io/png.js';
import { writeWav } from '../../io/wav.js';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from '../../ort/session.js';
import { loadPreset } from '../../presets/loadPreset.js';
import { resolveImagePath } from '../../presets/resolveInit.js';
import { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import { encodeSpectrogramExif } from '../../spectrogram/exif.js';
import { resolveParams } from '../../spectrogram/params.js';
import { parseSeed } from '../parseSeed.js';
import { runAction } from '../runAction.js';
import { stepProgress } from '../stepProgress.js';

interface GenerateOptions {
  readonly preset: string;
  readonly out: string;
  readonly seed?: string;
  readonly noise?: string;
  readonly latentsOut?: string;
  readonly models?: string;
  readonly provider?: ExecutionProvider;
}

/** `generate --preset FILE`: composed sampling -> PNG (spectrogram EXIF + recipe), WAV, latents. */
export function generateCommand(): Command {
  return new Command('generate')
    .summary('generate a sound-picture from a preset: PNG + WAV + latents')
    .description('Run a preset\'s composition plan (alternate/weighted blocks of the audio and picture models) and '
      + 'write the picture (PNG with Riffusion EXIF tags and the recipe in a text chunk), its audio (WAV) and the final latents (.npy).')
    .requiredOption('--preset <file>', 'preset file (YAML or JSON; see docs/presets.md)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--seed <n>', 'noise seed (overrides the preset\'s `seed`)')
    .option('--noise <file.npy>', 'initial noise [1, C, H/8, W/8] instead of the seeded generator (e.g. from another implementation)')
    .option('--latents-out <file.npy>', 'where to write the final latents (default OUT/NAME.latents.npy)')
    .option('--models <dir>', 'folder holding model folders named by bare names in the preset (default ./models)')
    .addOption(new Option('--provider <name>', 'execution provider (overrides the preset; falls back to cpu with a warning)').choices(EXECUTION_PROVIDERS))
    .addHelpText('after', '\nExamples:\n  $ synesthete generate --preset presets/tiny.yaml --out out\n  $ synesthete generate --preset presets/waltz-princess.yaml --seed 7\n')
    .action(runAction(generate));
}

async function generate(opts: GenerateOptions): Promise<void> {
  const loaded = loadPreset(opts.preset, opts.models ? resolve(opts.models) : undefined);
  const p = loaded.preset;
  const seed = opts.seed === undefined ? p.seed : parseSeed(opts.seed);
  const init = p.init ? {
    rgb: readInit(resolveImagePath(p.init.image, opts.preset), p.width, p.height),
    ...(p.init.mask ? { mask: greyOf(readInit(resolveImagePath(p.init.mask, opts.preset), p.width, p.height)) } : {}),
  } : undefined;
  const recipe = presetRecipe(loaded, init);
  // Noise files are checked before the (slow) model loading, against SD 1.x's 4 channels; the
  // loaded model's own channel count is checked again by the sampler.
  const dims = [4, p.height / VAE_FACTOR, p.width / VAE_FACTOR] as const;
  const noiseFromFile = opts.noise ? readNoise(opts.noise, dims) : undefined;

  const name = basename(opts.preset, extname(opts.preset));
  const pngFile = join(opts.out, `${name}.png`);
  const wavFile = join(opts.out, `${name}.wav`);
  const latentsFile = opts.latentsOut ?? join(opts.out, `${name}.latents.npy`);
  if (opts.latentsOut) checkOutputExtension(opts.latentsOut, ['.npy'], 'a NumPy array');
  checkOutputTargets([pngFile, wavFile, latentsFile]);
  const progress = stepProgress();
  const client = await GeneratorClient.start({
    audioModel: loaded.audioModel,
    ...(loaded.pictureModel ? { pictureModel: loaded.pictureModel } : {}),
    ...(loaded.vaeModel ? { vaeModel: loaded.vaeModel } : {}),
    provider: opts.provider ?? p.provider,
    threads: p.threads,
    onWarning: (m) => process.stderr.write(`synesthete: warning: ${m}\n`),
  });
  const pool = new ReconstructionPool();
  try {
    const count = client.latentChannels * dims[1] * dims[2];
    const noise = noiseFromFile ?? gaussianNoise(seed, count);
    const noiseB = p.seedB !== undefined && !noiseFromFile ? gaussianNoise(p.seedB, count) : undefined;
    const result = await client.generate({
      recipe, noise, ...(noiseB ? { noiseB } : {}),
      onStep: (step, total) => progress.update(step, total, 'denoising'),
    });
    progress.update(1, 1, 'rendering audio');
    const params = resolveParams({ numFrequencies: result.image.height });
    const audio = await imageToAudio({ ...result.image, text: {} }, params, pool, {
      ...(p.audio.channels ? { channels: p.audio.channels } : {}),
      ...(p.audio.iterations !== undefined ? { iterations: p.audio.iterations } : {}),
      ...(p.audio.saturation !== undefined ? { saturation: p.audio.saturation } : {}),
      ...(p.audio.loop ? { circular: true } : {}),
    });
    const recipeText = JSON.stringify({ preset: p.name ?? name, seed, ...(noiseB ? { seedB: p.seedB } : {}), noise: opts.noise ?? 'seeded', recipe: { ...recipe, init: recipe.init ? { image: p.init?.image, strength: p.init?.strength } : undefined } });
    writeOutputs([
      { path: pngFile, write: (f) => writePng(f, result.image, { exif: encodeSpectrogramExif(params), text: { synesthete: recipeText } }) },
      { path: wavFile, write: (f) => writeWav(f, audio, params.sampleRate, 'int16') },
      { path: latentsFile, write: (f) => writeNpy(f, result.latent.data, [1, result.latent.channels, result.latent.height, result.latent.width]) },
    ]);
    progress.stop();
    console.log(`generate: ${pngFile}, ${wavFile}, ${latentsFile} (seed ${seed}, ${result.unetCalls} UNet runs)`);
  } finally {
    progress.stop();
    await pool.dispose();
    await client.dispose();
  }
}

function readNoise(file: string, dims: readonly [number, number, number]): Float32Array {
  const npy = readNpy(file);
  const n = dims[0] * dims[1] * dims[2];
  if (npy.data.length !== n) throw new UserError(`${file}: noise has shape [${npy.shape.join(', ')}], the preset needs [1, ${dims.join(', ')}]`);
  return Float32Array.from(npy.data as ArrayLike<number>);
}

/** A mask is read from its R channel (Riffusion's masks are grey). */
function greyOf(rgb: Uint8Array): Uint8Array {
  const grey = new Uint8Array(rgb.length / 3);
  for (let i = 0; i < grey.length; i++) grey[i] = rgb[i * 3]!;
  return grey;
}

function readInit(file: string, width: number, height: number): Uint8Array {
  const image = readPng(file);
  if (image.width !== width || image.height !== height) {
    throw new UserError(`${file}: init image is ${image.width}x${image.height}, the preset renders ${width}x${height}`);
  }
  return image.rgb;
}
