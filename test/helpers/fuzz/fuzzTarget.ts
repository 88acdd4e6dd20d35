import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkSpectrogramParams } from '../../../engine/cli/spectrogramOptions.js';
import { audioToImage } from '../../../engine/convert/audioToImage.js';
import { imageToAudio } from '../../../engine/convert/imageToAudio.js';
import { spectrogramParamsOf } from '../../../engine/convert/spectrogramParamsOf.js';
import { presetRecipe } from '../../../engine/diffusion/presetRecipe.js';
import { isUserError } from '../../../engine/errors.js';
import { readPng } from '../../../engine/io/png.js';
import { readWav } from '../../../engine/io/wav.js';
import { SessionSegmentSource } from '../../../engine/live/session/sessionSegmentSource.js';
import { loadPreset } from '../../../engine/presets/loadPreset.js';
import { ReconstructionPool } from '../../../engine/reconstruct/reconstructionPool.js';
import { resolveParams } from '../../../engine/spectrogram/params.js';
import { type FuzzCase, type FuzzKind, MAIN_FILE, OUTSIDE_SAMPLE } from './fuzzCases.js';

/** How one case ended: accepted, refused with a clear error, or anything else (a bug). */
export type FuzzOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'crashed'; readonly error: string };

/** Writes a case's files into a fresh folder; returns the folder. */
export function materialise(c: FuzzCase, root = tmpdir()): string {
  const dir = mkdtempSync(join(root, 'synesthete-fuzz-'));
  for (const [path, bytes] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}

/** What a clear error looks like: one line, no control characters, not empty. */
export function isClearMessage(message: string): boolean {
  // eslint-disable-next-line no-control-regex
  return message.length > 0 && message.length <= 500 && !/[\u0000-\u001f\u007f]/.test(message);
}

/**
 * Runs the readers and the first steps of the commands that take this kind of file, in-process:
 * PNG/EXIF -> image-to-audio; WAV -> audio-to-image; preset -> generate's validation and recipe;
 * journal -> rehearse/render's session source. Checks what an accepted input produced, too.
 */
export async function runInProcess(kind: FuzzKind, dir: string, pool: ReconstructionPool): Promise<FuzzOutcome> {
  const file = join(dir, MAIN_FILE[kind]);
  try {
    if (kind === 'png' || kind === 'exif') {
      const image = readPng(file);
      const params = spectrogramParamsOf(image, file);
      checkSpectrogramParams(params, file);
      const audio = await imageToAudio(image, params, pool, { iterations: 2 });
      if (!(audio[0]!.length > 0) || audio.some((ch) => ch.some((v) => !Number.isFinite(v)))) return crashed('accepted, but the audio is empty or not finite');
    } else if (kind === 'wav') {
      const { image } = audioToImage(readWav(file), 'mono', resolveParams());
      if (!(image.width > 0)) return crashed('accepted, but the image is empty');
    } else if (kind === 'preset') {
      presetRecipe(loadPreset(file, dir));
    } else {
      const source = new SessionSegmentSource(dirname(file));
      for (const piece of source.timeline()) if (!(piece.duration > 0)) return crashed('accepted a segment with no audio');
      for (const b of source.boundaries) {
        const draft = await source.render({} as never);
        if (draft?.audio.some((ch) => ch.length > 0 && ch.every((v) => Math.abs(v - OUTSIDE_SAMPLE) < 1e-4))) return crashed(`read audio from outside the session folder (segment ${b.id})`);
      }
    }
    return { kind: 'accepted' };
  } catch (e) {
    if (isUserError(e)) return isClearMessage(e.message) ? { kind: 'refused', message: e.message } : crashed(`unclear message: ${JSON.stringify(e.message.slice(0, 200))}`);
    return crashed(e instanceof Error ? e.stack ?? e.message : String(e));
  }
}

function crashed(error: string): FuzzOutcome {
  return { kind: 'crashed', error };
}

export function removeCase(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
