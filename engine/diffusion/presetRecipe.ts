import type { LoadedPreset } from '../presets/loadPreset.js';
import type { InitImage, Recipe } from './recipe.js';

/** A validated preset as a sampler recipe (init image pixels supplied by the caller). */
export function presetRecipe(loaded: LoadedPreset, init?: { rgb: Uint8Array; mask?: Uint8Array }): Recipe {
  const p = loaded.preset;
  const initImage: InitImage | undefined = p.init && init ? {
    rgb: init.rgb,
    strength: p.init.strength,
    ...(p.init.strengthB !== undefined ? { strengthB: p.init.strengthB } : {}),
    ...(init.mask ? { mask: init.mask } : {}),
  } : undefined;
  return {
    mode: p.mode,
    blocks: p.plan.map((b) => ({ ...b })),
    scheduler: p.scheduler,
    steps: p.steps,
    width: p.width,
    height: p.height,
    shift: p.shift,
    // a decoder folder decodes; the audio model's VAE still encodes init images
    vae: p.vae === 'picture' ? 'picture' : 'audio',
    ...(p.timestepSpacing ? { timestepSpacing: p.timestepSpacing } : {}),
    ...(p.stepsOffset !== undefined ? { stepsOffset: p.stepsOffset } : {}),
    ...(p.alpha !== undefined ? { alpha: p.alpha } : {}),
    ...(initImage ? { init: initImage } : {}),
  };
}
