import type { Command } from '../../../control/protocol/commands.js';
import type { RecipeSummary } from '../../../control/protocol/state.js';
import type { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import { LoopBuffers } from '../../reconstruct/reconstructAudio.js';
import { barFitOf, loopAudio } from '../../soundPicture/loopAudio.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../spectrogram/params.js';
import type { ControlSettings } from '../controlState.js';
import { DEFAULT_IMPRINT_BEAT, DEFAULT_IMPRINT_STRENGTH, ImprintSource } from '../imprint/imprintSource.js';
import { imprintTourStep } from '../imprint/imprintTour.js';
import { bundledImageRefs } from '../../presets/resolveInit.js';
import { checkPicture } from '../imprint/loadPicture.js';
import type { SegmentDraft } from '../segment.js';
import type { SegmentSource } from '../segmentSource.js';

/**
 * No models needed: the performer's picture or typed text imprinted on a bundled Riffusion beat
 * loop, at strength k (docs/imprint.md). The audio of an unchanged imprint is reused.
 *
 * Until the performer imprints text or a picture, the source tours the bundled loops with a
 * changing imprint (`imprintTourStep`): the out-of-the-box show moves. Their first imprint stops
 * the tour on the beat it had reached.
 */
export class ImprintSegmentSource implements SegmentSource {
  readonly name = 'imprint' as const;
  /** reconstruction buffers reused from segment to segment (see LoopBuffers) */
  private readonly buffers = new LoopBuffers();
  private readonly imprint = new ImprintSource();
  private cache: { picture: object; fit: string; draft: SegmentDraft } | undefined;
  /** the tour's next step (only steps whose segment was kept move it) */
  private tourStep = 0;
  /** the beat of the last segment kept: where the performer's imprint lands */
  private beat = DEFAULT_IMPRINT_BEAT;
  private readonly tourBeats: readonly string[];

  constructor(private readonly pool: ReconstructionPool) {
    const seeds = bundledImageRefs().seeds.map((s) => s.slice('seed:'.length));
    this.tourBeats = [DEFAULT_IMPRINT_BEAT, ...seeds.filter((s) => s !== DEFAULT_IMPRINT_BEAT)];
  }

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
    const touring = i?.text === undefined && i?.image === undefined;
    const step = this.tourStep;
    const tour = touring ? imprintTourStep(step, this.tourBeats) : undefined;
    this.imprint.setBeat(tour?.beat ?? this.beat);
    this.imprint.setStrength(i?.strength ?? tour?.strength ?? DEFAULT_IMPRINT_STRENGTH);
    if (tour) this.imprint.setText(tour.text);
    else if (i?.text !== undefined) this.imprint.setText(i.text);
    else this.imprint.setImage(i!.image!);
    const picture = this.imprint.nextPicture();
    const fit = barFitOf(settings);
    const fitKey = JSON.stringify(fit);
    const beat = this.imprint.beatName;
    const commit = () => {
      this.beat = beat;
      if (tour) this.tourStep = step + 1;
    };
    const what = tour ? `"${tour.text}" (tour)` : i?.text !== undefined ? `"${i.text}"` : i!.image!;
    const recipe = this.recipe(settings, what);
    if (this.cache?.picture === picture && this.cache.fit === fitKey) return { ...this.cache.draft, recipe, commit };
    const { audio, bars } = await loopAudio(picture, DEFAULT_SPECTROGRAM_PARAMS, this.pool, this.buffers, { channels: 'r' }, fit);
    const draft = { picture, audio, bars, recipe };
    this.cache = { picture, fit: fitKey, draft };
    return { ...draft, commit };
  }

  private recipe(settings: Readonly<ControlSettings>, what: string): RecipeSummary {
    return {
      source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: settings.seed,
      description: `imprint ${what} on ${this.imprint.beatName}, k ${this.imprint.strength}`,
    };
  }

  async dispose(): Promise<void> {}
}
