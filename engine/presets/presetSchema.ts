import { z } from 'zod';
import { INPUT_LIMITS } from '../io/inputLimits.js';

/**
 * The preset file format (YAML or JSON), validated with zod. Every field is documented in
 * docs/presets.md; keep the two in step.
 */
const modelRole = z.enum(['audio', 'picture']);

const block = z.strictObject({
  model: modelRole,
  prompt: z.string(),
  negativePrompt: z.string().optional(),
  guidance: z.number().min(0).max(50),
  weight: z.number().gt(0).optional(),
  startStep: z.number().int().min(0).optional(),
  promptB: z.string().optional(),
  guidanceB: z.number().min(0).max(50).optional(),
});

const init = z.strictObject({
  /** a PNG path (relative to the preset file) or `seed:NAME` for a bundled Riffusion seed image */
  image: z.string().min(1),
  strength: z.number().gt(0).max(1),
  strengthB: z.number().gt(0).max(1).optional(),
  /** a mask PNG path or `mask:NAME` for a bundled Riffusion mask; white = repaint */
  mask: z.string().min(1).optional(),
});

const audio = z.strictObject({
  channels: z.enum(['r', 'g', 'b', 'gb', 'rg', 'rgb']).optional(),
  iterations: z.number().int().min(0).max(1000).optional(),
  saturation: z.number().min(0).max(10).optional(),
  loop: z.boolean().optional(),
});

export const presetSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  models: z.strictObject({
    audio: z.string().min(1),
    picture: z.string().min(1).optional(),
  }),
  provider: z.enum(['cpu', 'webgpu', 'cuda']).default('cpu'),
  threads: z.number().int().min(0).max(256).default(0),
  mode: z.enum(['alternate', 'weighted']).default('alternate'),
  plan: z.array(block).min(1).max(64),
  scheduler: z.enum(['euler', 'ddim', 'pndm', 'dpmpp2m', 'lcm', 'model']).default('euler'),
  steps: z.number().int().min(1).max(1000).default(20),
  timestepSpacing: z.enum(['leading', 'linspace', 'trailing']).optional(),
  stepsOffset: z.number().int().min(0).optional(),
  width: z.number().int().min(8).max(INPUT_LIMITS.presetSide).multipleOf(8).default(512),
  height: z.number().int().min(8).max(INPUT_LIMITS.presetSide).multipleOf(8).default(512),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  seedB: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  alpha: z.number().min(0).max(1).optional(),
  shift: z.number().int().default(0),
  /** live engine master tempo (BPM): segments fitted to whole 4/4 bars */
  tempo: z.number().min(20).max(300).optional(),
  /** audio | picture (that model's VAE), or a decoder folder: `taesd` = models/taesd, paths as for models */
  vae: z.string().min(1).default('audio'),
  init: init.optional(),
  audio: audio.default({}),
}).superRefine((p, ctx) => {
  p.plan.forEach((b, i) => {
    if (b.model === 'picture' && !p.models.picture) {
      ctx.addIssue({ code: 'custom', path: ['plan', i, 'model'], message: 'uses the picture model, but models.picture is not set' });
    }
  });
  if (p.mode === 'weighted' && !p.plan.some((b) => (b.startStep ?? 0) === 0)) {
    ctx.addIssue({ code: 'custom', path: ['plan'], message: 'a weighted plan needs at least one block active from step 0' });
  }
  if (p.init?.mask && p.shift !== 0) ctx.addIssue({ code: 'custom', path: ['init', 'mask'], message: 'cannot be combined with a latent shift' });
  if (p.vae === 'picture' && !p.models.picture) ctx.addIssue({ code: 'custom', path: ['vae'], message: 'is picture, but models.picture is not set' });
});

export type Preset = z.infer<typeof presetSchema>;
