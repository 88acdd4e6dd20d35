import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../../../control/protocol/commands.js';
import { spectrogramParamsOf } from '../../convert/spectrogramParamsOf.js';
import { UserError } from '../../errors.js';
import { readPng } from '../../io/png.js';
import { seedImagesDir } from '../../presets/resolveInit.js';
import type { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import { LoopBuffers } from '../../reconstruct/reconstructAudio.js';
import { barFitOf, loopAudio } from '../../soundPicture/loopAudio.js';
import type { ControlSettings } from '../controlState.js';
import type { SegmentDraft } from '../segment.js';
import type { SegmentSource } from '../segmentSource.js';

/**
 * A folder of sound-picture PNGs played as they are, in name order, round and round (default: the
 * bundled Riffusion seed loops). Stereo images (EXIF) play in stereo, others in mono.
 */
export class ImagesSegmentSource implements SegmentSource {
  readonly name = 'images' as const;
  /** reconstruction buffers reused from segment to segment (see LoopBuffers) */
  private readonly buffers = new LoopBuffers();
  private readonly files: string[];
  private index = 0;

  constructor(private readonly pool: ReconstructionPool, dir = seedImagesDir()) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      throw new UserError(`${dir}: cannot read image folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    this.files = names.filter((n) => n.toLowerCase().endsWith('.png') && !n.startsWith('mask_')).sort().map((n) => join(dir, n));
    if (this.files.length === 0) throw new UserError(`${dir}: no .png sound-pictures in this folder`);
  }

  refuse(command: Command): string | null {
    if (command.type === 'source') return null;
    return `the images source plays its folder as it is (${command.type} steers the diffusion or imprint source)`;
  }

  async render(settings: Readonly<ControlSettings>): Promise<SegmentDraft> {
    const index = this.index;
    const file = this.files[index % this.files.length]!;
    const image = readPng(file);
    const { audio, bars } = await loopAudio(image, spectrogramParamsOf(image, file), this.pool, this.buffers, {}, barFitOf(settings));
    return {
      picture: image, audio, bars,
      recipe: { source: 'images', preset: null, prompts: { audio: null, picture: null }, seed: settings.seed, description: file },
      commit: () => { this.index = index + 1; },
    };
  }

  async dispose(): Promise<void> {}
}
