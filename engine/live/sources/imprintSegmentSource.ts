import type { RecipeSummary } from '../../../control/commands/engineState.js';
import type { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../spectrogram/params.js';
import { ImprintSource } from '../imprint/imprintSource.js';
import type { ControlSettings } from '../controlState.js';
import type { SegmentDraft } from '../segment.js';
import type { SegmentSource } from '../segmentSource.js';
import { LoopBuffers } from '../../reconstruct/reconstructAudio.js';
import { pictureAudio } from './pictureAudio.js';

/**
 * No models needed: the performer's picture or typed text imprinted on a bundled Riffusion beat
 * loop, at strength k (docs/imprint.md). The audio of an unchanged imprint is reused.
 */
export class ImprintSegmentSource implements SegmentSource {
  readonly name = 'imprint' as const;
  /** reconstruction buffers reused from segment to segment (see LoopBuffers) */
  private readonly buffers = new LoopBuffers();
  private readonly imprint = new ImprintSource();
  private cache: { picture: object; tempo: number | null; draft: SegmentDraft } | undefined;

  constructor(private readonly pool: ReconstructionPool) {}

  async render(settings: Readonly<ControlSettings>): Promise<SegmentDraft> {
    const i = settings.imprint;
    if (i?.strength !== undefined) this.imprint.setStrength(i.strength);
    if (i?.text !== undefined) this.imprint.setText(i.text);
    else if (i?.image !== undefined) this.imprint.setImage(i.image);
    const picture = this.imprint.nextPicture();
    if (this.cache?.picture === picture && this.cache.tempo === settings.tempoBpm) return { ...this.cache.draft, recipe: this.recipe(settings) };
    const audio = await pictureAudio(picture, DEFAULT_SPECTROGRAM_PARAMS, this.pool, this.buffers, 'r', settings.tempoBpm);
    const draft = { picture, audio, recipe: this.recipe(settings) };
    this.cache = { picture, tempo: settings.tempoBpm, draft };
    return draft;
  }

  private recipe(settings: Readonly<ControlSettings>): RecipeSummary {
    const what = settings.imprint?.text !== undefined ? `"${settings.imprint.text}"` : settings.imprint?.image ?? 'no picture';
    return {
      source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: settings.seed,
      description: `imprint ${what} on ${this.imprint.beatName}, k ${this.imprint.strength}`,
    };
  }

  async dispose(): Promise<void> {}
}
