import type { Command } from '../../../control/protocol/commands.js';
import type { RecipeSummary } from '../../../control/protocol/state.js';
import type { RgbImage } from '../../io/rgbImage.js';
import type { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import { LoopBuffers } from '../../reconstruct/reconstructAudio.js';
import { barFitOf, loopAudio } from '../../soundPicture/loopAudio.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../spectrogram/params.js';
import type { ControlSettings } from '../controlState.js';
import { ImprintSource } from '../imprint/imprintSource.js';
import { checkPicture } from '../imprint/loadPicture.js';
import type { SegmentDraft } from '../segment.js';
import type { SegmentSource } from '../segmentSource.js';

/**
 * No models needed: the performer's picture or typed text imprinted on a bundled Riffusion beat
 * loop, at strength k (docs/imprint.md). The audio of an unchanged imprint is reused.
 */
export class ImprintSegmentSource implements SegmentSource {
  readonly name = 'imprint' as const;
  /** reconstruction buffers reused from segment to segment (see LoopBuffers) */
  private readonly buffers = new LoopBuffers();
  private readonly imprint = new ImprintSource();
  private cache: { picture: object; fit: string; draft: SegmentDraft } | undefined;

  /**
   * @param listened listen mode: the last bars heard as a sound-picture (undefined until 5.12 s
   *   have been heard); imprinted on the beat while no text or image is
   */
  constructor(private readonly pool: ReconstructionPool, private readonly listened?: () => RgbImage | undefined) {}

  refuse(command: Command): string | null {
    switch (command.type) {
      case 'prompt': case 'guidance': case 'mix': case 'seed': case 'preset':
        return 'the imprint source has no models to steer (send imprint text or an image, or switch to the diffusion source)';
      case 'imprint': return command.image !== undefined ? checkPicture(command.image) : null;
      default: return null;
    }
  }

  async render(settings: Readonly<ControlSettings>): Promise<SegmentDraft> {
    const i = settings.imprint;
    if (i?.strength !== undefined) this.imprint.setStrength(i.strength);
    const heard = this.listened?.();
    if (i?.text !== undefined) this.imprint.setText(i.text);
    else if (i?.image !== undefined) this.imprint.setImage(i.image);
    else if (heard) this.imprint.setListened(heard);
    const picture = this.imprint.nextPicture();
    const fit = barFitOf(settings);
    const fitKey = JSON.stringify(fit);
    if (this.cache?.picture === picture && this.cache.fit === fitKey) return { ...this.cache.draft, recipe: this.recipe(settings) };
    const { audio, bars } = await loopAudio(picture, DEFAULT_SPECTROGRAM_PARAMS, this.pool, this.buffers, { channels: 'r' }, fit);
    const draft = { picture, audio, bars, recipe: this.recipe(settings) };
    this.cache = { picture, fit: fitKey, draft };
    return draft;
  }

  private recipe(settings: Readonly<ControlSettings>): RecipeSummary {
    const what = settings.imprint?.text !== undefined ? `"${settings.imprint.text}"` : settings.imprint?.image
      ?? (this.imprint.picture.kind === 'listened' ? 'the music heard' : 'no picture');
    return {
      source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: settings.seed,
      description: `imprint ${what} on ${this.imprint.beatName}, k ${this.imprint.strength}`,
    };
  }

  async dispose(): Promise<void> {}
}
