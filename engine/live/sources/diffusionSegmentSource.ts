import type { Command } from '../../../control/protocol/commands.js';
import type { RecipeSummary } from '../../../control/protocol/state.js';
import { GeneratorClient } from '../../diffusion/generatorClient.js';
import { gaussianNoise } from '../../diffusion/noiseGenerator.js';
import { presetRecipe } from '../../diffusion/presetRecipe.js';
import type { Recipe } from '../../diffusion/recipe.js';
import { VAE_FACTOR } from '../../diffusion/vae.js';
import { readPng } from '../../io/png.js';
import type { RgbImage } from '../../io/rgbImage.js';
import { resizeBilinear } from '../imprint/resize.js';
import type { LoadedPreset } from '../../presets/loadPreset.js';
import { resolveImagePath } from '../../presets/resolveInit.js';
import type { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import { resolveParams } from '../../spectrogram/params.js';
import type { ControlSettings } from '../controlState.js';
import type { SegmentDraft } from '../segment.js';
import type { SegmentSource } from '../segmentSource.js';
import { LoopBuffers } from '../../reconstruct/reconstructAudio.js';
import { barFitOf, loopAudio } from '../../soundPicture/loopAudio.js';
import { alternateRhythm } from './mixRhythm.js';

/** listen mode's img2img strength when the preset has no init of its own: Riffusion's "Keep it on beat" */
export const LISTEN_INIT_STRENGTH = 0.75;

/** Riffusion's app walks alpha in quarter steps between seed s and s + 1 (riffusion.md section 7). */
const ALPHA_STEP = 0.25;
/** ...and reaches a new prompt over 4 segments (riffusion.md section 7) */
const TRANSITION_STEPS = 4;

/**
 * The generator with models, in its worker thread: a preset's plan with the performer's prompts,
 * guidance, seed and mix, walking the latent space the way Riffusion's app does so consecutive
 * segments are continuous (noise slerped from seed s to s + 1 in steps of 0.25), each segment
 * loopable (the preset's latent shift, circular audio reconstruction).
 */
export class DiffusionSegmentSource implements SegmentSource {
  readonly name = 'diffusion' as const;
  /** reconstruction buffers reused from segment to segment (see LoopBuffers) */
  private readonly buffers = new LoopBuffers();
  private alpha = 0;
  private walkSeed: number | undefined;
  /** the `seed` setting the walk started from: a new seed command restarts the walk */
  private walkFrom = 0;

  /** generator workers started again after a crash */
  restarts = 0;

  private constructor(private client: GeneratorClient, private loaded: LoadedPreset,
    private readonly pool: ReconstructionPool, private init: { rgb: Uint8Array } | undefined,
    private readonly onWarning: ((m: string) => void) | undefined,
    private readonly findPreset: PresetFinder | undefined,
    private readonly listened: (() => RgbImage | undefined) | undefined) {}

  /**
   * @param findPreset resolves a `preset` command's name to a loaded preset (or throws a
   *   UserError saying why not); without it, `preset` commands are refused
   * @param listened listen mode: the last bars heard as a sound-picture (undefined until 5.12 s
   *   have been heard); it becomes every segment's init picture (img2img at the preset's init
   *   strength, else LISTEN_INIT_STRENGTH): the music played re-imagined towards the prompts
   */
  static async open(loaded: LoadedPreset, pool: ReconstructionPool, onWarning?: (m: string) => void,
    findPreset?: PresetFinder, listened?: () => RgbImage | undefined): Promise<DiffusionSegmentSource> {
    const client = await DiffusionSegmentSource.startClient(loaded, onWarning);
    return new DiffusionSegmentSource(client, loaded, pool, initOf(loaded), onWarning, findPreset, listened);
  }

  refuse(command: Command, settings: Readonly<ControlSettings>): string | null {
    const hasPicture = this.loaded.pictureModel !== undefined;
    switch (command.type) {
      case 'imprint': return 'imprint steers the imprint source (switch to it with {"type":"source","name":"imprint"})';
      case 'prompt': case 'guidance':
        return command.model === 'picture' && !hasPicture ? `the preset ${this.presetName} has no picture model` : null;
      case 'mix': return hasPicture ? null : `the preset ${this.presetName} has only an audio model: there is nothing to mix`;
      case 'preset': {
        if (!this.findPreset) return 'no preset folder is available';
        if (command.name === settings.preset) return null;
        try {
          this.findPreset(command.name);
          return null;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      }
      default: return null;
    }
  }

  private get presetName(): string {
    return this.loaded.preset.name ?? 'preset';
  }

  /** A `preset` command: load the named preset; a new generator only when its models differ. */
  private async switchPreset(name: string): Promise<void> {
    const next = this.findPreset!(name);
    if (next.audioModel !== this.loaded.audioModel || next.pictureModel !== this.loaded.pictureModel
      || next.vaeModel !== this.loaded.vaeModel || next.preset.provider !== this.loaded.preset.provider) {
      const client = await DiffusionSegmentSource.startClient(next, this.onWarning);
      await this.client.dispose().catch(() => undefined);
      this.client = client;
    }
    this.loaded = next;
    this.init = initOf(next);
    this.presetLoaded = name;
    this.prompts = undefined;
    this.transition = undefined;
    this.walkSeed = undefined;
  }

  private presetLoaded: string | null = null;

  private static startClient(loaded: LoadedPreset, onWarning?: (m: string) => void): Promise<GeneratorClient> {
    return GeneratorClient.start({
      audioModel: loaded.audioModel,
      ...(loaded.pictureModel ? { pictureModel: loaded.pictureModel } : {}),
      ...(loaded.vaeModel ? { vaeModel: loaded.vaeModel } : {}),
      provider: loaded.preset.provider,
      threads: loaded.preset.threads,
      ...(onWarning ? { onWarning } : {}),
    });
  }

  async render(settings: Readonly<ControlSettings>, signal?: AbortSignal): Promise<SegmentDraft> {
    if (settings.preset !== null && settings.preset !== this.presetLoaded) await this.switchPreset(settings.preset);
    // the walk and the transition advance only when the segment is kept (commit): a render that
    // a newer command supersedes must not move them
    const saved = this.saveWalk();
    const target = this.recipeFor(settings);
    const transition = this.transitionStep(target);
    // a transition holds the seed still, unless a seed command asks for another one
    const holdSeed = transition !== undefined && this.walkSeed !== undefined && settings.seed === this.walkFrom;
    const seed = holdSeed ? this.walkSeed! : this.nextSeed(settings);
    // During a prompt transition the seed holds still and alpha moves the embeddings instead.
    const heard = this.listened?.();
    const recipe = withListenedInit(transition?.recipe ?? target, heard, this.loaded);
    const alpha = transition?.alpha ?? this.alpha;
    const count = this.client.latentChannels * (recipe.height / VAE_FACTOR) * (recipe.width / VAE_FACTOR);
    const noise = gaussianNoise(seed, count);
    const walked = this.saveWalk();
    this.restoreWalk(saved);
    const generation = await this.generate({
      recipe: { ...recipe, alpha },
      noise,
      noiseB: transition ? noise : gaussianNoise(seed + 1, count),
      ...(signal ? { signal } : {}),
    });
    // a model that produced NaN gives a black picture and garbage audio: drop the segment
    if (generation.latent.data.some((v) => !Number.isFinite(v))) throw new Error(`the generator produced NaN/Inf latents (seed ${seed})`);
    const audioSettings = this.loaded.preset.audio;
    const params = resolveParams({ numFrequencies: generation.image.height });
    // the same sound-picture pipeline as `generate`: the preset's channels, iterations and saturation
    const { audio, bars } = await loopAudio(generation.image, params, this.pool, this.buffers, {
      ...(audioSettings.channels ? { channels: audioSettings.channels } : {}),
      ...(audioSettings.iterations !== undefined ? { iterations: audioSettings.iterations } : {}),
      ...(audioSettings.saturation !== undefined ? { saturation: audioSettings.saturation } : {}),
    }, barFitOf(settings));
    return {
      picture: generation.image, audio, bars, recipe: this.summary(recipe, seed, alpha, transition !== undefined, heard !== undefined),
      commit: () => this.restoreWalk(walked),
    };
  }

  /**
   * One generation; if the worker has crashed, a new one is started (counted in `restarts`) and
   * this segment is dropped: the engine keeps playing what it has meanwhile.
   */
  private async generate(request: Parameters<GeneratorClient['generate']>[0]) {
    try {
      return await this.client.generate(request);
    } catch (e) {
      if (!this.client.crashed) throw e;
      await this.client.dispose().catch(() => undefined);
      this.client = await DiffusionSegmentSource.startClient(this.loaded, this.onWarning);
      this.restarts++;
      throw new Error(`generator worker crashed (${e instanceof Error ? e.message : String(e)}); restarted it`);
    }
  }

  private saveWalk(): WalkState {
    return { alpha: this.alpha, walkSeed: this.walkSeed, walkFrom: this.walkFrom, prompts: this.prompts,
      transition: this.transition ? { ...this.transition } : undefined };
  }

  private restoreWalk(w: WalkState): void {
    this.alpha = w.alpha;
    this.walkSeed = w.walkSeed;
    this.walkFrom = w.walkFrom;
    this.prompts = w.prompts;
    this.transition = w.transition ? { ...w.transition } : undefined;
  }

  /** the prompts segments are rendered with now, per block, and a transition under way */
  private prompts: string[] | undefined;
  private transition: { from: string[]; to: string[]; step: number } | undefined;

  /**
   * Riffusion's prompt transition: a new prompt is reached over TRANSITION_STEPS segments by
   * interpolating the text embedding (alpha 0.25, 0.5, 0.75, 1) at a fixed seed, so consecutive
   * segments stay continuous. Returns the recipe and alpha for this segment, or undefined when no
   * transition is under way. A newer prompt during a transition starts a new one from the target.
   */
  private transitionStep(target: Recipe): { recipe: Recipe; alpha: number } | undefined {
    const wanted = target.blocks.map((b) => b.prompt);
    if (!this.prompts) this.prompts = wanted;
    const t = this.transition;
    if (t && wanted.some((p, i) => p !== t.to[i])) this.transition = { from: t.to, to: wanted, step: 0 };
    else if (!t && wanted.some((p, i) => p !== this.prompts![i])) this.transition = { from: this.prompts, to: wanted, step: 0 };
    const tr = this.transition;
    if (!tr) return undefined;
    tr.step++;
    const alpha = Math.min(1, tr.step / TRANSITION_STEPS);
    if (tr.step >= TRANSITION_STEPS) {
      this.prompts = tr.to;
      this.transition = undefined;
    }
    return {
      alpha,
      recipe: { ...target, blocks: target.blocks.map((b, i) => ({ ...b, prompt: tr.from[i]!, promptB: tr.to[i]! })) },
    };
  }

  /** Seed walk: alpha 0, 0.25, 0.5, 0.75, then seed + 1 at 0 (the same point as alpha 1); a seed command restarts it. */
  private nextSeed(settings: Readonly<ControlSettings>): number {
    if (this.walkSeed === undefined || settings.seed !== this.walkFrom) {
      this.walkFrom = settings.seed;
      this.walkSeed = settings.seed || this.loaded.preset.seed;
      this.alpha = 0;
      return this.walkSeed;
    }
    this.alpha += ALPHA_STEP;
    if (this.alpha >= 1 - 1e-9) {
      this.alpha -= 1;
      this.walkSeed++;
    }
    return this.walkSeed;
  }

  /** The preset's recipe with the performer's prompts, guidance and mix. */
  private recipeFor(settings: Readonly<ControlSettings>): Recipe {
    const base = presetRecipe(this.loaded, this.init);
    const mix = settings.mix;
    const plan = base.mode === 'alternate' && mix !== null ? alternateRhythm(base.blocks, mix) : base.blocks;
    const blocks = plan.map((b) => ({
      ...b,
      prompt: settings.prompts[b.model] ?? b.prompt,
      guidance: settings.guidance[b.model] ?? b.guidance,
      // mix = picture weight in weighted plans (0 = sound only, 1 = picture only)
      ...(base.mode === 'weighted' && mix !== null ? { weight: Math.max(1e-6, b.model === 'picture' ? mix : 1 - mix) } : {}),
    }));
    return { ...base, blocks };
  }

  private summary(recipe: Recipe, seed: number, alpha: number, transition: boolean, listened: boolean): RecipeSummary {
    const block = (m: 'audio' | 'picture') => recipe.blocks.find((b) => b.model === m);
    const prompt = (m: 'audio' | 'picture') => {
      const b = block(m);
      return b ? (transition && b.promptB !== undefined && b.promptB !== b.prompt ? `${b.prompt} -> ${b.promptB}` : b.prompt) : null;
    };
    const name = this.loaded.preset.name ?? 'preset';
    const where = transition ? `seed ${seed}, transition ${alpha.toFixed(2)}` : `seed ${seed} + ${alpha.toFixed(2)}`;
    return {
      source: 'diffusion', preset: name, prompts: { audio: prompt('audio'), picture: prompt('picture') }, seed,
      description: `${name}: "${prompt('audio') ?? ''}" / "${prompt('picture') ?? ''}", ${where}${listened ? `, from the music heard (strength ${recipe.init!.strength})` : ''}`,
    };
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }
}

/** Resolves a preset name (a file in the preset folders, or a path) to a loaded preset; throws a UserError saying why not. */
export type PresetFinder = (name: string) => LoadedPreset;

interface WalkState {
  readonly alpha: number;
  readonly walkSeed: number | undefined;
  readonly walkFrom: number;
  readonly prompts: string[] | undefined;
  readonly transition: { from: string[]; to: string[]; step: number } | undefined;
}

/**
 * Listen mode: the picture heard becomes the recipe's init picture, at the recipe's size, with the
 * preset's init strength (its mask does not apply to a picture that moves) or LISTEN_INIT_STRENGTH.
 */
function withListenedInit(recipe: Recipe, heard: RgbImage | undefined, loaded: LoadedPreset): Recipe {
  if (!heard) return recipe;
  const sized = heard.width === recipe.width && heard.height === recipe.height ? heard : resizeBilinear(heard, recipe.width, recipe.height);
  const init = loaded.preset.init;
  return {
    ...recipe,
    init: { rgb: sized.rgb, strength: init?.strength ?? LISTEN_INIT_STRENGTH, ...(init?.strengthB !== undefined ? { strengthB: init.strengthB } : {}) },
  };
}

function initOf(loaded: LoadedPreset): { rgb: Uint8Array } | undefined {
  return loaded.preset.init ? { rgb: readPng(resolveImagePath(loaded.preset.init.image, loaded.file)).rgb } : undefined;
}
