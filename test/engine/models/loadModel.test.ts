import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompatible, loadModel } from '../../../engine/models/loadModel.js';
import { inspectModelFolder } from '../../../engine/models/modelFolder.js';
import { createSession } from '../../../engine/ort/session.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { encodeOnnxModel } from '../../../engine/onnx/onnxWriter.js';

const audioDir = fixture('tiny-sd/audio');
const pictureDir = fixture('tiny-sd/picture');

/** A copy of the tiny audio model that a test may break. */
function copyOfAudio(): string {
  const dir = join(tempDir(), 'model');
  cpSync(audioDir, dir, { recursive: true });
  return dir;
}

/** A text encoder whose hidden size is `hidden` (input_ids int32 -> [batch, sequence, hidden]). */
function textEncoderOfWidth(hidden: number): Uint8Array {
  return encodeOnnxModel({
    inputs: [{ name: 'input_ids', type: 'int32', shape: ['batch', 'sequence'] }],
    outputs: [{ name: 'last_hidden_state', type: 'float32', shape: ['batch', 'sequence', hidden] }],
    initializers: [
      { name: 'axes', dims: [1], data: BigInt64Array.from([2n]) },
      { name: 'w', dims: [1, hidden], data: new Float32Array(hidden).fill(0.5) },
    ],
    nodes: [
      { op: 'Cast', inputs: ['input_ids'], outputs: ['f'], attributes: { to: 1 } },
      { op: 'Unsqueeze', inputs: ['f', 'axes'], outputs: ['f3'] },
      { op: 'MatMul', inputs: ['f3', 'w'], outputs: ['last_hidden_state'] },
    ],
  });
}

describe('loadModel', () => {
  it('reads names, dtypes and sizes from the sessions, which differ between the two exports', async () => {
    const audio = await loadModel(audioDir);
    const picture = await loadModel(pictureDir);
    try {
      expect(audio.textHiddenSize).toBe(16);
      expect(audio.latentChannels).toBe(4);
      expect(audio.timestep).toMatchObject({ type: 'int64', shape: ['batch'] });
      expect(picture.timestep).toMatchObject({ type: 'float32', shape: [] });
      expect(audio.vaeEncoderOutput).toEqual({ name: 'latent_parameters', parameters: true });
      expect(audio.folder.layout).toBe('optimum');
      expect(audio.folder.unetWeights).toMatch(/model\.onnx_data$/);
      expect(audio.folder.schedulerConfig?.['_class_name']).toBe('PNDMScheduler');
      expect(() => checkCompatible(audio, picture)).not.toThrow();
    } finally {
      await audio.dispose();
      await picture.dispose();
    }
  });

  it('names the missing file of an incomplete folder', () => {
    const dir = copyOfAudio();
    rmSync(join(dir, 'unet', 'model.onnx'));
    expect(() => inspectModelFolder(dir)).toThrow(`${join(dir, 'unet', 'model.onnx')}: missing`);
    expect(() => inspectModelFolder(join(dir, 'nope'))).toThrow('model folder not found');
  });

  it('recognises the legacy layout (unet/weights.pb)', () => {
    const dir = copyOfAudio();
    rmSync(join(dir, 'unet', 'model.onnx_data'));
    writeFileSync(join(dir, 'unet', 'weights.pb'), '');
    expect(inspectModelFolder(dir).layout).toBe('legacy');
  });

  it('says which ONNX file is corrupt', async () => {
    const dir = copyOfAudio();
    writeFileSync(join(dir, 'vae_decoder', 'model.onnx'), 'not a protobuf at all');
    await expect(loadModel(dir)).rejects.toThrow(`${join(dir, 'vae_decoder', 'model.onnx')}: cannot load ONNX model`);
  });

  it('rejects a text encoder whose hidden size does not match the UNet cross-attention', async () => {
    const dir = copyOfAudio();
    writeFileSync(join(dir, 'text_encoder', 'model.onnx'), textEncoderOfWidth(8));
    await expect(loadModel(dir)).rejects.toThrow('text encoder hidden size 8 does not match the UNet\'s cross-attention input 16');
  });
});

describe('createSession', () => {
  it('falls back to the CPU with one warning when the chosen provider cannot start', async () => {
    const warnings: string[] = [];
    const session = await createSession(join(audioDir, 'vae_encoder', 'model.onnx'), { provider: 'cuda', onWarning: (m) => warnings.push(m) });
    try {
      expect(session.provider).toBe('cpu');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/execution provider 'cuda' could not start .*using the CPU instead/);
    } finally {
      await session.dispose();
    }
  });
});
