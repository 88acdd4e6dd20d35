import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../../engine/io/npy.js';
import { TINY_SD } from '../../../engine/models/fullsize/fullsizeModel.js';
import { writeFullsizeFolder } from '../../../engine/models/fullsize/writeFullsizeFolder.js';
import { loadModel } from '../../../engine/models/loadModel.js';
import { parsePartInput, runModelPart } from '../../../engine/models/runModelPart.js';
import { UserError } from '../../../engine/errors.js';
import { expectCleanFailure, synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

describe('synesthete models run', () => {
  let model = '';
  let io = '';
  const ids = Int32Array.from({ length: 77 }, (_, i) => (i === 0 ? 49406 : i < 4 ? 320 + i : 49407));
  beforeAll(async () => {
    model = join(tempDir(), 'tiny');
    await writeFullsizeFolder(model, { config: TINY_SD, floatType: 'float32', seed: 3, tokenizerDir: fixture('tiny-sd/audio/tokenizer') });
    io = tempDir();
    writeNpy(join(io, 'ids.npy'), Array.from(ids), [1, 77], '<i8'); // int64 on disk, int32 in the graph: cast
    writeNpy(join(io, 'sample.npy'), Float32Array.from({ length: 2 * 4 * 8 * 16 }, (_, i) => Math.sin(i)), [2, 4, 8, 16]);
    writeNpy(join(io, 't.npy'), [981, 981], [2], '<i8');
    writeNpy(join(io, 'latent.npy'), Float32Array.from({ length: 4 * 8 * 16 }, (_, i) => Math.cos(i)), [1, 4, 8, 16]);
    writeNpy(join(io, 'image.npy'), Float32Array.from({ length: 3 * 64 * 128 }, (_, i) => Math.sin(i / 7)), [1, 3, 64, 128]);
  });

  it('runs the text encoder and writes both outputs; the numbers are the session\'s', async () => {
    const out = join(io, 'text.npy');
    const r = synesthete('models', 'run', model, 'text_encoder', '--input', `input_ids=${join(io, 'ids.npy')}`, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const hidden = readNpy(out);
    const pooled = readNpy(join(io, 'text.pooler_output.npy'));
    expect([hidden.shape, pooled.shape]).toEqual([[1, 77, 16], [1, 16]]);
    const m = await loadModel(model);
    const direct = await m.textEncoder.run({ input_ids: { type: 'int32', data: ids, dims: [1, 77] } });
    await m.dispose();
    expect(Array.from(hidden.data)).toEqual(Array.from(direct['last_hidden_state']!.data as Float32Array));
    // pooler_output is the state at the end-of-text token (position 4, the first 49407)
    expect(Array.from(pooled.data)).toEqual(Array.from(hidden.data.slice(4 * 16, 5 * 16)));
  });

  it('runs the UNet, the VAE decoder and the VAE encoder', async () => {
    const text = join(io, 'text2.npy');
    await runModelPart(model, 'text_encoder', [{ name: 'input_ids', file: join(io, 'ids.npy') }], text);
    const context = readNpy(text);
    writeNpy(join(io, 'context.npy'), Float32Array.from([...context.data, ...context.data]), [2, 77, 16]);
    const runs: [string, string[], number[]][] = [
      ['unet', [`sample=${join(io, 'sample.npy')}`, `timestep=${join(io, 't.npy')}`, `encoder_hidden_states=${join(io, 'context.npy')}`], [2, 4, 8, 16]],
      ['vae_decoder', [`latent_sample=${join(io, 'latent.npy')}`], [1, 3, 64, 128]],
      ['vae_encoder', [`sample=${join(io, 'image.npy')}`], [1, 8, 8, 16]],
    ];
    for (const [part, inputs, shape] of runs) {
      const out = join(io, `${part}.npy`);
      expect(await runModelPart(model, part, inputs.map(parsePartInput), out)).toEqual([out]);
      const result = readNpy(out);
      expect(result.shape, part).toEqual(shape);
      expect(result.data.every(Number.isFinite), part).toBe(true);
      expect(new Set(result.data).size, part).toBeGreaterThan(100);
    }
  });

  it('refuses a bad input name, a bad shape, a missing input, a missing file and an unknown part, naming what is wrong', async () => {
    const out = tempDir();
    const cases: [string, string[], string][] = [
      ['text_encoder', [`tokens=${join(io, 'ids.npy')}`], "has no input 'tokens' (inputs: input_ids)"],
      ['vae_decoder', [`latent_sample=${join(io, 'image.npy')}`], 'image.npy: shape (1, 3, 64, 128) does not fit input latent_sample [batch, 4, height_latent, width_latent]'],
      ['unet', [`sample=${join(io, 'sample.npy')}`], 'missing --input for timestep: int64[batch]; encoder_hidden_states: float32[batch, sequence, 16]'],
      ['vae_decoder', [`latent_sample=${join(io, 'nothing.npy')}`], 'nothing.npy: file not found'],
      ['vae', [`latent_sample=${join(io, 'latent.npy')}`], "part 'vae': expected one of text_encoder, unet, vae_decoder, vae_encoder"],
    ];
    for (const [part, inputs, message] of cases) {
      await expect(runModelPart(model, part, inputs.map(parsePartInput), join(out, 'x.npy')), part).rejects.toThrow(message);
      await expect(runModelPart(model, part, inputs.map(parsePartInput), join(out, 'x.npy'))).rejects.toBeInstanceOf(UserError);
    }
    expect(() => parsePartInput('latent_sample')).toThrow('--input "latent_sample": expected NAME=FILE.npy');
    expect(readdirSync(out)).toEqual([]);
  });

  it('says what is wrong in one line on the command line, writing nothing', () => {
    const out = tempDir();
    const r = synesthete('models', 'run', model, 'vae_decoder', '--input', `latent_sample=${join(io, 'image.npy')}`, '--out', join(out, 'x.npy'));
    expectCleanFailure(r, 'image.npy', out);
    expect(r.stderr).toContain('does not fit input latent_sample');
  });
});
