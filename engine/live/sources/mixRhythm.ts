import type { PlanBlock } from '../../diffusion/recipe.js';

/**
 * `mix` in an alternate plan: the rhythm of picture (P) and audio (A) steps, from picture-heavy to
 * audio-heavy. mix 1 → [P], 0.75 → [P, A], 0.5 → [P, A, A] (the waltz), 0.25 → [P, A, A, A],
 * 0 → [A]; values between round to the nearest. The preset's first block of each model gives
 * the prompts and guidance. A plan without both models is returned unchanged.
 */
export function alternateRhythm(blocks: readonly PlanBlock[], mix: number): readonly PlanBlock[] {
  const picture = blocks.find((b) => b.model === 'picture');
  const audio = blocks.find((b) => b.model === 'audio');
  if (!picture || !audio) return blocks;
  const audioSteps = Math.round((1 - Math.min(1, Math.max(0, mix))) * 4);
  if (audioSteps === 0) return [picture];
  if (audioSteps === 4) return [audio];
  return [picture, ...Array.from({ length: audioSteps }, () => audio)];
}
