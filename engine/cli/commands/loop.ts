import { extname } from 'node:path';
import { Command } from 'commander';
import { imageToAudio } from '../../convert/imageToAudio.js';
import { spectrogramParamsOf } from '../../convert/spectrogramParamsOf.js';
import { UserError } from '../../errors.js';
import { readNpy, writeNpy } from '../../io/npy.js';
import { type PngImage, readPng, writePng } from '../../io/png.js';
import { writeWav } from '../../io/wav.js';
import { writeOutputs } from '../../io/outputSet.js';
import { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import {
  type ColumnArray, columnArrayFromImage, columnArrayFromLatent, columnArrayToImage, isLatentShape, sliceColumns,
} from '../../spectrogram/columnArray.js';
import { IMAGE_MIN_WIDTH, LATENT_MIN_WIDTH, type LoopResult, demoStrip, findLoop, loopSearchWork } from '../../spectrogram/loopFinder.js';
import type { SpectrogramParams } from '../../spectrogram/params.js';
import { runAction } from '../runAction.js';
import { stepProgress } from '../stepProgress.js';
import { checkSpectrogramParams } from '../spectrogramOptions.js';
import { parseThreads } from '../threadsOption.js';

interface LoopCliOptions {
  readonly minWidth?: string;
  readonly maxWidth?: string;
  readonly width?: string;
  readonly nudge?: string;
  readonly demo?: string;
  readonly threads?: string;
  readonly json?: boolean;
}

type Ext = '.png' | '.wav' | '.npy';

/**
 * The most width-search work `loop` takes on (multiply-adds): one to three minutes at the 0.35 to
 * 1 billion a second measured on a 2-core VM (docs/loop.md). The work grows with the square of the
 * widest width, so without a bound a 100,000-column image would search for hours.
 */
export const LOOP_WORK_LIMIT = 6e10;
const WORK_PER_SECOND = 5e8;

/** A loaded input: an image (with the metadata to carry over) or a latent (with its shape to restore). */
type Source =
  | { readonly kind: 'image'; readonly file: string; readonly arr: ColumnArray; readonly image: PngImage }
  | { readonly kind: 'latent'; readonly file: string; readonly arr: ColumnArray; readonly shape: readonly number[] };

const WRITES: Record<Source['kind'], readonly Ext[]> = { image: ['.png', '.wav'], latent: ['.npy'] };

const EXAMPLES = `
Examples:
  $ synesthete loop og_beat.png loop.wav
      find the loop and render it as audio that repeats without a click
  $ synesthete loop og_beat.png loop.png --demo demo.wav
      cut the loop out of the image, and render 0:b + a:b + a:end to audition the join
  $ synesthete loop clip.png loop.wav --min-width 200
      the loop came out too short (part of a bar missing): start the search at a wider cycle
  $ synesthete loop clip.png loop.wav --width 256 --nudge -8
      fixed 256-column cycle; the loop point felt late, so move both points 8 columns earlier
  $ synesthete loop latent.npy loop.npy --json
      search a [1, C, H, W] latent (default --min-width 20 latent columns) and print JSON

Image columns are 10 ms each at Riffusion's settings; latent columns are 8 image columns.
See docs/loop.md for the method and how to choose --min-width.`;

function parseInteger(option: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(value.trim())) throw new UserError(`${option}: expected a whole number, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UserError(`${option}: ${value} is too large`);
  if (n < min) throw new UserError(`${option}: must be at least ${min}, got ${n}`);
  return n;
}

/** The output type of `file`, checked against what the input kind can become. */
function outputExt(file: string, source: { kind: Source['kind']; file: string }, what: string): Ext {
  const ext = extname(file).toLowerCase();
  if (ext !== '.png' && ext !== '.wav' && ext !== '.npy') {
    throw new UserError(`${file}: unknown output type '${ext || '(none)'}' (expected .png or .wav for an image input, .npy for a latent)`);
  }
  if (!WRITES[source.kind].includes(ext)) {
    if (ext === '.wav') throw new UserError(`${file}: ${source.file} is a latent and cannot be written as audio (decode it to a spectrogram image first)`);
    throw new UserError(`${file}: ${source.file} is ${source.kind === 'image' ? 'an image' : 'a latent'}, so ${what} is written as ${WRITES[source.kind].join(' or ')}, not ${ext}`);
  }
  return ext;
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

function inputKind(file: string): Source['kind'] {
  const ext = extname(file).toLowerCase();
  if (ext === '.png') return 'image';
  if (ext === '.npy') return 'latent';
  throw new UserError(`${file}: unknown input type '${ext || '(none)'}' (expected a .png spectrogram image or a .npy latent)`);
}

function load(file: string, kind: Source['kind']): Source {
  if (kind === 'image') {
    const image = readPng(file);
    return { kind, file, image, arr: columnArrayFromImage(image) };
  }
  const { shape, data } = readNpy(file);
  if (!isLatentShape(shape)) throw new UserError(`${file}: latent shape (${shape.join(', ')}) is not [1, C, H, W] or [C, H, W]`);
  return { kind, file, shape, arr: columnArrayFromLatent(shape, data) };
}

/** The search range from the options, as UserErrors that name the option and the input. */
function searchOptions(source: Source, opts: LoopCliOptions) {
  const columns = source.arr.columns;
  const half = Math.floor(columns / 2);
  const nudge = parseInteger('--nudge', opts.nudge, -Number.MAX_SAFE_INTEGER) ?? 0;
  const width = parseInteger('--width', opts.width, 1);
  if (width !== undefined) {
    if (width > half) throw new UserError(`--width ${width}: out of range for ${source.file} (1 to ${half}: a loop must fit twice in its ${columns} columns)`);
    return { width, nudge };
  }
  const minWidth = parseInteger('--min-width', opts.minWidth, 1) ?? (source.kind === 'image' ? IMAGE_MIN_WIDTH : LATENT_MIN_WIDTH);
  if (columns < 2 * minWidth) {
    throw new UserError(`${source.file}: ${columns} columns is too narrow for --min-width ${minWidth} (needs at least ${2 * minWidth} columns; lower --min-width)`);
  }
  const maxWidth = Math.min(half, parseInteger('--max-width', opts.maxWidth, 1) ?? half);
  if (maxWidth < minWidth) throw new UserError(`--max-width ${maxWidth}: smaller than --min-width ${minWidth}`);
  const { channels, rows } = source.arr;
  const work = loopSearchWork(channels, rows, minWidth, maxWidth);
  if (work > LOOP_WORK_LIMIT) {
    // the widest width whose search stays within the limit: work ~ channels * rows * w^2 / 2
    const within = Math.floor(Math.sqrt((2 * LOOP_WORK_LIMIT) / (channels * rows) + minWidth * minWidth));
    throw new UserError(`${source.file}: searching cycle widths ${minWidth} to ${maxWidth} of its ${columns} columns would take about `
      + `${formatDuration(work / WORK_PER_SECOND)}; give --max-width ${Math.max(minWidth, within)} or less (about ${formatDuration(LOOP_WORK_LIMIT / WORK_PER_SECOND)}), or --width`);
  }
  return { minWidth, maxWidth, nudge };
}

/**
 * Encode one output and return the write, so every output is rendered (the slow part, and the
 * one most likely to fail) before any file is touched.
 */
async function prepare(ext: Ext, part: ColumnArray, source: Source, circular: boolean,
  audio: () => { params: SpectrogramParams; pool: ReconstructionPool }): Promise<(path: string) => void> {
  if (source.kind === 'latent') {
    // Only the last axis (width) changes; a leading batch axis is kept.
    const shape = [...source.shape.slice(0, -1), part.columns];
    return (path) => writeNpy(path, part.data, shape);
  }
  const image: PngImage = { ...columnArrayToImage(part), exif: source.image.exif, text: source.image.text };
  if (ext === '.png') return (path) => writePng(path, image, { exif: image.exif, text: image.text });
  const { params, pool } = audio();
  // The loop is reconstructed circularly, as one period whose end flows into its start; the demo
  // strip is an ordinary clip.
  const channels = await imageToAudio(image, params, pool, { circular });
  return (path) => writeWav(path, channels, params.sampleRate, 'int16');
}

function report(source: Source, out: string, demo: string | undefined, r: LoopResult, requestedNudge: number, json: boolean): void {
  const clamped = r.nudge !== requestedNudge ? ` (nudge clamped to ${r.nudge})` : '';
  process.stdout.write(`loop: width ${r.width} columns (a=${r.a}, b=${r.b}), correlation ${r.correlation.toFixed(4)}, `
    + `loop-point columns ${r.columnCorrelation.toFixed(4)}${clamped}\n`);
  if (!json) return;
  process.stdout.write(`${JSON.stringify({
    input: source.file, kind: source.kind, output: out, demo: demo ?? null, columns: source.arr.columns,
    width: r.width, a: r.a, b: r.b, nudge: r.nudge, correlation: r.correlation, columnCorrelation: r.columnCorrelation,
    minWidth: r.minWidth, maxWidth: r.minWidth + r.scores.length - 1,
  })}\n`);
}

async function loopAction(input: string, output: string, opts: LoopCliOptions): Promise<void> {
  const threads = parseThreads(opts.threads);
  const kind = inputKind(input);
  const outExt = outputExt(output, { kind, file: input }, 'the loop');
  const demoExt = opts.demo === undefined ? undefined : outputExt(opts.demo, { kind, file: input }, 'the demo strip');
  const source = load(input, kind);
  const search = searchOptions(source, opts);
  // Check the spectrogram parameters before the search, not after it.
  const params = source.kind === 'image' && (outExt === '.wav' || demoExt === '.wav') ? spectrogramParamsOf(source.image, input) : undefined;
  if (params) checkSpectrogramParams(params, input);

  const progress = stepProgress();
  let result: LoopResult;
  try {
    result = findLoop(source.arr, { ...search, onProgress: (done, total) => progress.update(Math.round((100 * done) / total), 100, 'searching for the loop (%)') });
  } finally {
    progress.stop();
  }
  let pool: ReconstructionPool | undefined;
  const audio = () => {
    pool ??= new ReconstructionPool(threads === undefined ? {} : { threads });
    return { params: params!, pool };
  };
  try {
    // Render everything first, then write all or nothing.
    const outputs = [{ path: output, write: await prepare(outExt, sliceColumns(source.arr, result.a, result.b), source, true, audio) }];
    if (opts.demo !== undefined && demoExt) outputs.push({ path: opts.demo, write: await prepare(demoExt, demoStrip(source.arr, result.a, result.b), source, false, audio) });
    writeOutputs(outputs);
  } finally {
    await pool?.dispose();
  }
  report(source, output, opts.demo, result, search.nudge, opts.json === true);
}

/** `synesthete loop IN OUT`: find a seamless loop by correlation and cut it out (docs/loop.md). */
export function loopCommand(): Command {
  return new Command('loop')
    .summary('find a seamless loop in a spectrogram image or latent, and cut it out')
    .description('Find a seamless loop by correlation: the cycle width n whose excerpts 0:n and n:2n correlate best, '
      + 'then the best-matching pair of columns a, b = a + n inside them. Writes columns a:b as an image, '
      + 'a seamlessly repeating WAV, or a latent.')
    .argument('<in>', 'spectrogram image (.png) or latent (.npy, shape [1, C, H, W] or [C, H, W])')
    .argument('<out>', 'the loop: .png (keeps the input\'s EXIF and text) or .wav for an image; .npy for a latent')
    .option('--min-width <columns>', `smallest cycle width to try (default ${IMAGE_MIN_WIDTH} for images, ${LATENT_MIN_WIDTH} for latents); raise it if the loop is too short`)
    .option('--max-width <columns>', 'largest cycle width to try (default and limit: half the input width); lower it if the loop is too long')
    .option('--width <columns>', 'use this cycle width instead of searching (only the loop point is searched)')
    .option('--nudge <columns>', 'shift both loop points by this many columns, negative = earlier (default 0); clamped to the input')
    .option('--demo <file>', 'also write the audition strip, columns 0:b + a:b + a:end (.png or .wav for an image, .npy for a latent)')
    .option('--threads <n>', 'phase-reconstruction worker threads for .wav outputs, 0 = main thread (default: all cores, at most 4)')
    .option('--json', 'also print the result as one JSON object on the last line')
    .addHelpText('after', EXAMPLES)
    .action(runAction(loopAction));
}
