import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../../../../engine/diffusion/generator.js';
import { gaussianNoise } from '../../../../engine/diffusion/noiseGenerator.js';
import type { Recipe } from '../../../../engine/diffusion/recipe.js';
import { SD15, TINY_SD, buildPart, parameterCounts } from '../../../../engine/models/fullsize/fullsizeModel.js';
import { uniformWeights } from '../../../../engine/models/fullsize/randomWeights.js';
import { writeFullsizeFolder } from '../../../../engine/models/fullsize/writeFullsizeFolder.js';
import { loadModel } from '../../../../engine/models/loadModel.js';
import { createSession } from '../../../../engine/ort/session.js';
import { fixture, tempDir } from '../../../helpers/fixtures.js';

const tokenizerDir = fixture('tiny-sd/audio/tokenizer');

describe('full-size SD 1.5 graphs', () => {
  it('have exactly SD 1.5\'s parameter counts (from the shapes, nothing allocated)', () => {
    expect(parameterCounts(SD15)).toEqual({
      text_encoder: 123_060_480, // CLIP ViT-L/14 text tower
      unet: 859_520_964,
      vae_decoder: 49_490_199, // with post_quant_conv
      vae_encoder: 34_163_664, // with quant_conv
    });
  });

  it('name and shape every weight as diffusers\' / transformers\' state dicts do', () => {
    const shapes = (part: Parameters<typeof buildPart>[0]) => new Map(buildPart(part, SD15).builder.weights.map((w) => [w.name, w.dims]));
    const unet = shapes('unet');
    expect(unet.size).toBe(686); // keys in SD 1.5's unet/diffusion_pytorch_model.bin
    expect(Object.fromEntries([
      'conv_in.weight', 'time_embedding.linear_1.weight', 'down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight',
      'down_blocks.1.resnets.0.conv_shortcut.weight', 'down_blocks.1.downsamplers.0.conv.weight',
      'mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight', 'up_blocks.1.resnets.2.conv_shortcut.weight',
      'up_blocks.3.attentions.2.transformer_blocks.0.ff.net.0.proj.weight', 'up_blocks.2.upsamplers.0.conv.weight', 'conv_out.weight',
    ].map((k) => [k, unet.get(k)]))).toEqual({
      'conv_in.weight': [320, 4, 3, 3],
      'time_embedding.linear_1.weight': [1280, 320],
      'down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight': [320, 320],
      'down_blocks.1.resnets.0.conv_shortcut.weight': [640, 320, 1, 1],
      'down_blocks.1.downsamplers.0.conv.weight': [640, 640, 3, 3],
      'mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight': [1280, 768],
      'up_blocks.1.resnets.2.conv_shortcut.weight': [1280, 1920, 1, 1],
      'up_blocks.3.attentions.2.transformer_blocks.0.ff.net.0.proj.weight': [2560, 320],
      'up_blocks.2.upsamplers.0.conv.weight': [640, 640, 3, 3],
      'conv_out.weight': [4, 320, 3, 3],
    });
    expect(unet.has('down_blocks.3.attentions.0.norm.weight')).toBe(false); // DownBlock2D: no attention
    const vae = new Map([...shapes('vae_decoder'), ...shapes('vae_encoder')]);
    expect(vae.size).toBe(248); // keys in SD 1.5's vae/diffusion_pytorch_model.bin
    expect(vae.get('post_quant_conv.weight')).toEqual([4, 4, 1, 1]);
    expect(vae.get('decoder.mid_block.attentions.0.to_q.weight')).toEqual([512, 512]);
    expect(vae.get('decoder.up_blocks.2.resnets.0.conv_shortcut.weight')).toEqual([256, 512, 1, 1]);
    expect(vae.get('encoder.down_blocks.0.downsamplers.0.conv.weight')).toEqual([128, 128, 3, 3]);
    expect(vae.get('quant_conv.weight')).toEqual([8, 8, 1, 1]);
    const text = shapes('text_encoder');
    expect(text.get('text_model.embeddings.token_embedding.weight')).toEqual([49408, 768]);
    expect(text.get('text_model.encoder.layers.11.self_attn.out_proj.weight')).toEqual([768, 768]);
    expect(text.get('text_model.encoder.layers.11.mlp.fc1.weight')).toEqual([3072, 768]);
    expect(text.get('text_model.final_layer_norm.bias')).toEqual([768]);
  });

  it('draw each weight from (seed, name): the same seed gives the same values, another seed others', () => {
    const w = { name: 'conv_in.weight', dims: [320, 4, 3, 3], init: { bound: 1 / 6 } };
    const a = uniformWeights(0, w);
    expect(uniformWeights(0, w)).toEqual(a);
    expect(uniformWeights(1, w)).not.toEqual(a);
    expect(uniformWeights(0, { ...w, name: 'conv_out.weight' })).not.toEqual(a);
    expect(Math.max(...a)).toBeLessThan(1 / 6);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1 / 6);
    expect(Math.abs(a.reduce((s, x) => s + x, 0) / a.length)).toBeLessThan(0.01); // centred
  });
});

describe('the same architecture at tiny width', () => {
  let dir = '';
  beforeAll(async () => {
    dir = join(tempDir(), 'tiny');
    await writeFullsizeFolder(dir, { config: TINY_SD, floatType: 'float32', seed: 5, tokenizerDir });
  });

  it('writes byte-identical folders from the same seed, and different weights from another', async () => {
    const again = join(tempDir(), 'again');
    const other = join(tempDir(), 'other');
    await writeFullsizeFolder(again, { config: TINY_SD, floatType: 'float32', seed: 5, tokenizerDir });
    await writeFullsizeFolder(other, { config: TINY_SD, floatType: 'float32', seed: 6, tokenizerDir });
    for (const file of ['unet/model.onnx', 'unet/model.onnx_data', 'text_encoder/model.onnx', 'vae_decoder/model.onnx']) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(dir, file))), file).toBe(true);
    }
    expect(readFileSync(join(other, 'unet/model.onnx_data')).equals(readFileSync(join(dir, 'unet/model.onnx_data')))).toBe(false);
  });

  it('loads as a model folder and runs a waltz through the existing generator', async () => {
    const model = await loadModel(dir);
    expect([model.textHiddenSize, model.latentChannels, model.timestep.type, model.vaeEncoderOutput?.name]).toEqual([16, 4, 'int64', 'latent_parameters']);
    await model.dispose();
    const recipe: Recipe = {
      mode: 'alternate', scheduler: 'euler', steps: 6, width: 128, height: 64, shift: -2,
      blocks: [{ model: 'picture', prompt: 'a castle on a hill', guidance: 11 }, { model: 'audio', prompt: 'steady beat', guidance: 7 }, { model: 'audio', prompt: 'steady beat', guidance: 7 }],
    };
    const noise = gaussianNoise(293918, 4 * 8 * 16);
    const generator = await Generator.load({ audioModel: dir, pictureModel: dir });
    try {
      const a = await generator.generate({ recipe, noise });
      expect(a.unetCalls).toBe(6);
      expect([a.image.width, a.image.height]).toEqual([128, 64]);
      expect(a.latent.data.every(Number.isFinite)).toBe(true);
      // the prompts reach the UNet through cross-attention: another picture prompt, other latents
      const other = await generator.generate({ recipe: { ...recipe, blocks: [{ ...recipe.blocks[0]!, prompt: 'a ship on a stormy sea' }, ...recipe.blocks.slice(1)] }, noise });
      const moved = Math.max(...a.latent.data.map((x, i) => Math.abs(x - other.latent.data[i]!)));
      expect(moved).toBeGreaterThan(1e-3);
    } finally {
      await generator.dispose();
    }
  });

  it('computes the same function in fp16 (to fp16 precision)', async () => {
    const half = join(tempDir(), 'half');
    await writeFullsizeFolder(half, { config: TINY_SD, floatType: 'float16', seed: 5, tokenizerDir });
    const feeds = {
      sample: { type: 'float32' as const, data: gaussianNoise(1, 2 * 4 * 8 * 16), dims: [2, 4, 8, 16] },
      timestep: { type: 'int64' as const, data: BigInt64Array.of(999n, 999n), dims: [2] },
      encoder_hidden_states: { type: 'float32' as const, data: gaussianNoise(2, 2 * 77 * 16), dims: [2, 77, 16] },
    };
    const outputs = [];
    for (const folder of [dir, half]) {
      const session = await createSession(join(folder, 'unet', 'model.onnx'));
      outputs.push((await session.run(feeds))['out_sample']!.data as Float32Array);
      await session.dispose();
    }
    const [a, b] = outputs as [Float32Array, Float32Array];
    const scale = Math.max(...a.map(Math.abs));
    const worst = Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
    expect(worst / scale).toBeLessThan(0.02);
    expect(worst).toBeGreaterThan(0); // it really ran in float16
  });
});
