import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { readNpy } from '../../io/npy.js';
import { readPng } from '../../io/png.js';
import type { PlanBlock, Recipe } from '../recipe.js';

/**
 * A reference case in the golden format (see test/fixtures/README.md): case.json, noise.npy
 * [+ noise_b.npy], expected latents.npy; init_image paths are relative to the folder that holds
 * the case folders.
 */
export interface GoldenCase {
  readonly name: string;
  readonly recipe: Recipe;
  readonly noise: Float32Array;
  readonly noiseB?: Float32Array;
  readonly expected: Float32Array;
  readonly expectedUnetCalls?: number;
}

interface CaseJson {
  name?: string;
  mode: 'alternate' | 'weighted' | 'interpolate';
  scheduler: Recipe['scheduler'];
  steps: number;
  timestep_spacing?: Recipe['timestepSpacing'];
  shift?: number;
  vae?: Recipe['vae'];
  plan?: Array<{ model: PlanBlock['model']; prompt: string; guidance: number; weight?: number; start_step?: number }>;
  alpha?: number;
  prompt_a?: string; prompt_b?: string;
  guidance_a?: number; guidance_b?: number;
  strength_a?: number; strength_b?: number;
  init_image?: string;
  unet_calls?: number;
}

export function readGoldenCase(root: string, folder: string): GoldenCase {
  const dir = join(root, folder);
  const caseFile = join(dir, 'case.json');
  let json: CaseJson;
  try {
    json = JSON.parse(readFileSync(caseFile, 'utf8')) as CaseJson;
  } catch (e) {
    throw new UserError(`${caseFile}: cannot read case (${(e as Error).message})`);
  }
  const noiseFile = readNpy(join(dir, 'noise.npy'));
  const [, channels, h, w] = noiseFile.shape.length === 4 ? noiseFile.shape : [1, ...noiseFile.shape];
  if (!channels || !h || !w) throw new UserError(`${join(dir, 'noise.npy')}: expected shape [1, C, H, W], got [${noiseFile.shape.join(', ')}]`);
  const common = {
    scheduler: json.scheduler,
    steps: json.steps,
    width: w * 8,
    height: h * 8,
    ...(json.timestep_spacing ? { timestepSpacing: json.timestep_spacing } : {}),
    ...(json.shift ? { shift: json.shift } : {}),
    ...(json.vae ? { vae: json.vae } : {}),
  };
  let recipe: Recipe;
  if (json.mode === 'interpolate') {
    const image = readPng(resolve(root, json.init_image ?? ''));
    if (image.width !== common.width || image.height !== common.height) {
      throw new UserError(`${json.init_image}: init image is ${image.width}x${image.height}, the case needs ${common.width}x${common.height}`);
    }
    recipe = {
      ...common,
      mode: 'alternate',
      alpha: json.alpha ?? 0,
      blocks: [{
        model: 'audio', prompt: json.prompt_a ?? '', promptB: json.prompt_b ?? json.prompt_a ?? '',
        guidance: json.guidance_a ?? 7, guidanceB: json.guidance_b ?? json.guidance_a ?? 7,
      }],
      init: { rgb: image.rgb, strength: json.strength_a ?? 0.75, strengthB: json.strength_b ?? json.strength_a ?? 0.75 },
    };
  } else {
    recipe = {
      ...common,
      mode: json.mode,
      blocks: (json.plan ?? []).map((b) => ({
        model: b.model, prompt: b.prompt, guidance: b.guidance,
        ...(b.weight !== undefined ? { weight: b.weight } : {}),
        ...(b.start_step !== undefined ? { startStep: b.start_step } : {}),
      })),
    };
  }
  const noiseBFile = join(dir, 'noise_b.npy');
  return {
    name: json.name ?? folder,
    recipe,
    noise: Float32Array.from(noiseFile.data as ArrayLike<number>),
    ...(existsSync(noiseBFile) ? { noiseB: Float32Array.from(readNpy(noiseBFile).data as ArrayLike<number>) } : {}),
    expected: Float32Array.from(readNpy(join(dir, 'latents.npy')).data as ArrayLike<number>),
    ...(json.unet_calls !== undefined ? { expectedUnetCalls: json.unet_calls } : {}),
  };
}

/** max |actual - expected| / max |expected| */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale > 0 ? diff / scale : diff;
}
