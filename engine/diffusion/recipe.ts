/**
 * What to generate: the composition plan and everything the sampler needs, as plain data (presets
 * are recipes in YAML). Pixel sizes; latents are 8x smaller.
 */
export type ModelRole = 'audio' | 'picture';
export type SchedulerKind = 'euler' | 'ddim' | 'pndm' | 'dpmpp2m' | 'lcm';
export type TimestepSpacing = 'leading' | 'linspace' | 'trailing';

/** One block of a plan: a model with its own prompt and guidance. */
export interface PlanBlock {
  readonly model: ModelRole;
  readonly prompt: string;
  /** default "" (the unconditional embedding) */
  readonly negativePrompt?: string;
  readonly guidance: number;
  /** weighted plans: relative weight (normalised over the active blocks) */
  readonly weight?: number;
  /** weighted plans: first step (0-based) at which the block joins */
  readonly startStep?: number;
  /** interpolation: the prompt at alpha = 1 (embeddings are interpolated linearly) */
  readonly promptB?: string;
  /** interpolation: guidance at alpha = 1 (linear in alpha) */
  readonly guidanceB?: number;
}

export interface InitImage {
  /** RGB pixels of the init image, already at the output size */
  readonly rgb: Uint8Array;
  /** fraction of the schedule to re-noise and denoise (Riffusion's "denoising") */
  readonly strength: number;
  /** interpolation: strength at alpha = 1 */
  readonly strengthB?: number;
  /** optional mask, one byte per pixel, white = repaint, black = keep (Riffusion's convention) */
  readonly mask?: Uint8Array;
}

export interface Recipe {
  /**
   * `alternate`: one block per step, cycling (the waltz is [picture, audio, audio]);
   * `weighted`: every active block each step, guided estimates averaged with normalised weights.
   */
  readonly mode: 'alternate' | 'weighted';
  readonly blocks: readonly PlanBlock[];
  /** `model`: the kind the audio model's scheduler_config.json names (`_class_name`) */
  readonly scheduler: SchedulerKind | 'model';
  readonly steps: number;
  /** default: the scheduler config's (audio model) */
  readonly timestepSpacing?: TimestepSpacing;
  readonly stepsOffset?: number;
  readonly width: number;
  readonly height: number;
  /** latent columns rolled after every step (negative = left); the total is rolled back at the end */
  readonly shift?: number;
  /** 0..1 between prompt/promptB, guidance/guidanceB, strength/strengthB and the two noises */
  readonly alpha?: number;
  readonly init?: InitImage;
  /** whose VAE decodes (default 'audio') */
  readonly vae?: ModelRole;
}

/** Blocks active at `step` with their normalised weights. */
export function activeBlocks(recipe: Recipe, step: number): Array<{ block: PlanBlock; index: number; weight: number }> {
  if (recipe.mode === 'alternate') {
    const index = step % recipe.blocks.length;
    return [{ block: recipe.blocks[index]!, index, weight: 1 }];
  }
  const active = recipe.blocks.map((block, index) => ({ block, index })).filter(({ block }) => step >= (block.startStep ?? 0));
  const total = active.reduce((s, { block }) => s + (block.weight ?? 1), 0);
  return active.map(({ block, index }) => ({ block, index, weight: total > 0 ? (block.weight ?? 1) / total : 0 }));
}
