import { UserError } from '../../errors.js';
import { readPng } from '../../io/png.js';
import type { RgbImage } from '../../io/rgbImage.js';
import { resolveImagePath } from '../../presets/resolveInit.js';
import { type ImprintColourMode, imprint } from './imprint.js';
import { loadPicture } from './loadPicture.js';
import { resizeBilinear } from './resize.js';
import { renderText } from './textPicture.js';

/** The bundled seed loop used when none is chosen: Riffusion's own default, and it loops cleanly. */
export const DEFAULT_IMPRINT_BEAT = 'og_beat';
/** Images that Sound's imprint strength (its `mag_ratio`). */
export const DEFAULT_IMPRINT_STRENGTH = 0.5;

/** What is imprinted on the beat. */
export type ImprintPicture =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'image'; readonly path: string }
  /** listen mode: the last bars heard, as their sound-picture */
  | { readonly kind: 'listened' };

export interface ImprintSourceOptions {
  /** bundled seed name (`og_beat` or `seed:og_beat`); default og_beat */
  readonly beat?: string;
  /** strength k, clamped to [0, 1]; default 0.5 */
  readonly strength?: number;
  /** how a coloured picture is imprinted (see `ImprintColourMode`); default 'grey' */
  readonly colour?: ImprintColourMode;
}

/** Label for errors from `resolveImagePath`, which prefixes them with the "preset file". */
const ERROR_LABEL = 'imprint beat';

/**
 * The live state of the `imprint` engine: a looping beat (a bundled Riffusion seed), a picture
 * (typed text or an image file) and the strength k; `nextPicture()` gives the sound-picture to
 * play for the next segment. No audio here: the caller turns the image into sound.
 *
 * Setters only record the change (an image file is read at once so a bad file fails at the call,
 * leaving the state as it was); the imprint is recomputed lazily by `nextPicture()`, only when
 * something changed, so a live loop can call it every segment for free. The picture at the beat's
 * size is cached separately, so moving k does not re-render text or re-resize a photo.
 *
 * @example
 * const source = new ImprintSource();          // og_beat, k = 0.5, no picture
 * source.setText('HELLO');
 * const image = source.nextPicture();          // og_beat with HELLO showing in it
 * source.setStrength(0.8);
 * source.nextPicture() !== image;              // recomputed; unchanged state returns the same object
 */
export class ImprintSource {
  private beatName_: string;
  private beat: RgbImage;
  private strength_: number;
  private readonly colour: ImprintColourMode;
  private picture_: ImprintPicture = { kind: 'none' };
  /** the decoded file of an 'image' picture, at its own size */
  private pictureImage: RgbImage | undefined;
  /** the picture at the beat's size (cache) */
  private sized: RgbImage | undefined;
  /** the last imprint (cache) */
  private result: RgbImage | undefined;

  /** @throws UserError for an unknown seed, an unreadable seed file or a NaN strength */
  constructor(options: ImprintSourceOptions = {}) {
    this.colour = options.colour ?? 'grey';
    this.strength_ = clampStrength(options.strength ?? DEFAULT_IMPRINT_STRENGTH);
    const name = seedName(options.beat ?? DEFAULT_IMPRINT_BEAT);
    this.beat = loadSeed(name);
    this.beatName_ = name;
  }

  /** The current beat's seed name (e.g. `og_beat`). */
  get beatName(): string { return this.beatName_; }
  /** The current strength k in [0, 1]. */
  get strength(): number { return this.strength_; }
  /** What is currently imprinted. */
  get picture(): ImprintPicture { return this.picture_; }

  /**
   * Imprint typed text (rendered black on white with the built-in font, at the beat's size).
   * Blank text clears the picture, so deleting everything typed gives the plain beat back rather
   * than a uniformly quieter one (a white page would lighten the whole beat).
   */
  setText(text: string): void {
    if (text.trim() === '') { this.clearPicture(); return; }
    if (this.picture_.kind === 'text' && this.picture_.text === text) return;
    this.setPicture({ kind: 'text', text }, undefined);
  }

  /**
   * Imprint a PNG or JPEG file. The file is read now, and again on every call (it may have been
   * edited).
   *
   * @throws UserError naming the file when it is missing, not a PNG/JPEG or corrupt; the
   * current picture is then kept.
   */
  setImage(path: string): void {
    const image = loadPicture(path);
    this.setPicture({ kind: 'image', path }, image);
  }

  /**
   * Imprint a picture given as pixels: listen mode's picture of the music heard (the last 5.12 s).
   * Each call is a new picture (the music moved on).
   */
  setListened(image: RgbImage): void {
    this.setPicture({ kind: 'listened' }, image);
  }

  /** Back to the plain beat. */
  clearPicture(): void {
    if (this.picture_.kind === 'none') return;
    this.setPicture({ kind: 'none' }, undefined);
  }

  /**
   * Set the strength k: 0 = the plain beat, 1 = white picture areas silent. Values outside
   * [0, 1] are clamped (a fader or MIDI mapping may overshoot).
   *
   * @throws UserError for NaN (e.g. a control value that did not parse)
   */
  setStrength(k: number): void {
    const value = clampStrength(k);
    if (value === this.strength_) return;
    this.strength_ = value;
    this.result = undefined;
  }

  /**
   * Switch to another bundled seed loop (`og_beat`, `agile`, `marim`, `motorway`, `vibes`;
   * the `seed:` prefix is optional).
   *
   * @throws UserError for an unknown name (listing the valid ones); the current beat is then kept
   */
  setBeat(name: string): void {
    const seed = seedName(name);
    if (seed === this.beatName_) return;
    const beat = loadSeed(seed);
    this.beat = beat;
    this.beatName_ = seed;
    // the picture is cached at the beat's size, which may differ
    this.sized = undefined;
    this.result = undefined;
  }

  /**
   * The sound-picture for the next segment: the beat with the picture imprinted at strength k
   * (the plain beat when there is no picture). While nothing changes the same object is
   * returned, so a caller can skip re-synthesis by identity; treat it as read-only.
   */
  nextPicture(): RgbImage {
    if (this.result) return this.result;
    const { width, height } = this.beat;
    if (this.picture_.kind === 'none') {
      this.result = { width, height, rgb: this.beat.rgb.slice() };
      return this.result;
    }
    this.sized ??= this.picture_.kind === 'text'
      ? renderText(this.picture_.text, width, height)
      : this.pictureImage!.width === width && this.pictureImage!.height === height ? this.pictureImage! : resizeBilinear(this.pictureImage!, width, height);
    this.result = imprint(this.beat, this.sized, this.strength_, { colour: this.colour });
    return this.result;
  }

  private setPicture(picture: ImprintPicture, image: RgbImage | undefined): void {
    this.picture_ = picture;
    this.pictureImage = image;
    this.sized = undefined;
    this.result = undefined;
  }
}

function clampStrength(k: number): number {
  if (typeof k !== 'number' || Number.isNaN(k)) throw new UserError(`imprint strength must be a number from 0 to 1, got ${String(k)}`);
  return Math.min(1, Math.max(0, k));
}

function seedName(name: string): string {
  return name.startsWith('seed:') ? name.slice('seed:'.length) : name;
}

function loadSeed(name: string): RgbImage {
  const { width, height, rgb } = readPng(resolveImagePath(`seed:${name}`, ERROR_LABEL));
  return { width, height, rgb };
}
