import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { DEFAULT_SPECTROGRAM_PARAMS as D, type SpectrogramParams, frameSizes, paramsLimitProblem } from '../spectrogram/params.js';

/** Raw values of the spectrogram options as commander hands them over (strings, or absent). */
export interface SpectrogramOptionValues {
  readonly sampleRate?: string;
  readonly stepMs?: string;
  readonly windowMs?: string;
  readonly paddedMs?: string;
  readonly mels?: string;
  readonly minFreq?: string;
  readonly maxFreq?: string;
  readonly power?: string;
}

/** What the unset options fall back to; only changes the help text. */
export type SpectrogramDefaultsFrom = 'riffusion' | 'image';

type Kind = 'integer' | 'positive' | 'nonNegative';

interface Spec {
  readonly flag: string;
  readonly value: keyof SpectrogramOptionValues;
  readonly param: keyof SpectrogramParams;
  readonly kind: Kind;
  readonly help: string;
}

const SPECS: readonly Spec[] = [
  { flag: '--sample-rate <hz>', value: 'sampleRate', param: 'sampleRate', kind: 'integer', help: 'audio sample rate, Hz' },
  { flag: '--step-ms <ms>', value: 'stepMs', param: 'stepSizeMs', kind: 'positive', help: 'hop between image columns, ms' },
  { flag: '--window-ms <ms>', value: 'windowMs', param: 'windowDurationMs', kind: 'positive', help: 'analysis window length, ms' },
  { flag: '--padded-ms <ms>', value: 'paddedMs', param: 'paddedDurationMs', kind: 'positive', help: 'zero-padded FFT frame length, ms' },
  { flag: '--mels <n>', value: 'mels', param: 'numFrequencies', kind: 'integer', help: 'mel bins = image height' },
  { flag: '--min-freq <hz>', value: 'minFreq', param: 'minFrequency', kind: 'nonNegative', help: 'lowest mel frequency, Hz' },
  { flag: '--max-freq <hz>', value: 'maxFreq', param: 'maxFrequency', kind: 'positive', help: 'highest mel frequency, Hz' },
  { flag: '--power <p>', value: 'power', param: 'powerForImage', kind: 'positive', help: 'image exponent: pixel = 255 - 255 (S / max)^p' },
];

const KIND_TEXT: Record<Kind, string> = {
  integer: 'a positive integer',
  positive: 'a positive number',
  nonNegative: 'a number >= 0',
};

/** The option name alone (`--mels`), for error messages. */
function optionName(spec: Spec): string {
  return spec.flag.split(' ')[0]!;
}

/**
 * Add the eight spectrogram parameter options (`--sample-rate`, `--step-ms`, `--window-ms`,
 * `--padded-ms`, `--mels`, `--min-freq`, `--max-freq`, `--power`) to a command.
 *
 * No commander defaults are set: an absent option must stay absent so that, when reading an
 * image, its EXIF value wins. The help text shows what applies instead.
 */
export function addSpectrogramOptions(command: Command, defaultsFrom: SpectrogramDefaultsFrom = 'riffusion'): Command {
  for (const spec of SPECS) {
    const fallback = String(D[spec.param]);
    const when = defaultsFrom === 'image' ? `default: the image's EXIF, else ${fallback}` : `default: ${fallback}`;
    command.option(spec.flag, `${spec.help} (${when})`);
  }
  return command;
}

function isValid(kind: Kind, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  return kind === 'integer' ? Number.isInteger(value) && value > 0 : kind === 'positive' ? value > 0 : value >= 0;
}

function parseValue(spec: Spec, raw: string): number {
  // Number('') is 0: an empty or blank value must not pass as zero.
  const value = /^\s*$/.test(raw) ? NaN : Number(raw);
  if (!isValid(spec.kind, value)) throw new UserError(`${optionName(spec)} ${JSON.stringify(raw)}: expected ${KIND_TEXT[spec.kind]}`);
  return value;
}

/**
 * Parse the options added by `addSpectrogramOptions` into parameter overrides (only the options
 * that were given). Each value is checked on its own here; cross-checks need the resolved
 * parameters, see `checkSpectrogramParams`.
 *
 * @throws UserError naming the option and the bad value.
 */
export function spectrogramOverrides(values: SpectrogramOptionValues): Partial<SpectrogramParams> {
  const out: Record<string, number> = {};
  for (const spec of SPECS) {
    const raw = values[spec.value];
    if (raw !== undefined) out[spec.param] = parseValue(spec, raw);
  }
  return out as Partial<SpectrogramParams>;
}

/**
 * Check the parameters as a whole, after options, EXIF and defaults are merged: a bad pair (or a
 * bad EXIF value) can come from either source, so this cannot run on the overrides alone.
 *
 * @throws UserError naming the options involved.
 */
export function checkSpectrogramParams(p: SpectrogramParams, source?: string): void {
  // Values from an image's EXIF have not been through spectrogramOverrides: say where they came from.
  const from = source ? ` (from ${source} or the options)` : '';
  const fail = (message: string) => { throw new UserError(`${message}${from}`); };
  for (const spec of SPECS) {
    const value = p[spec.param] as number;
    if (!isValid(spec.kind, value)) fail(`${optionName(spec)} ${value}: expected ${KIND_TEXT[spec.kind]}`);
  }
  const limit = paramsLimitProblem(p);
  if (limit) fail(limit);
  const nyquist = p.sampleRate / 2;
  if (!(p.minFrequency < p.maxFrequency)) fail(`--min-freq ${p.minFrequency} must be below --max-freq ${p.maxFrequency}`);
  if (p.maxFrequency > nyquist) fail(`--max-freq ${p.maxFrequency} exceeds half the sample rate (${nyquist} Hz at --sample-rate ${p.sampleRate})`);
  const { hopLength, winLength, nFft } = frameSizes(p);
  if (hopLength < 1) fail(`--step-ms ${p.stepSizeMs} is shorter than one sample at ${p.sampleRate} Hz`);
  if (winLength < 2) fail(`--window-ms ${p.windowDurationMs} is shorter than two samples at ${p.sampleRate} Hz`);
  if (nFft < winLength) fail(`--padded-ms ${p.paddedDurationMs} is shorter than --window-ms ${p.windowDurationMs}: the window must fit in the FFT frame`);
  // The FFTs are real-input transforms of even length, with the window centred in the frame.
  if (nFft % 2 !== 0) fail(`--padded-ms ${p.paddedDurationMs} gives an odd FFT frame (${nFft} samples at ${p.sampleRate} Hz); choose one with an even sample count`);
  if ((nFft - winLength) % 2 !== 0) fail(`--window-ms ${p.windowDurationMs} (${winLength} samples) cannot sit centred in the ${nFft}-sample frame: make the difference even`);
}
