/**
 * The tiny audio model with its UNet replaced by a closed-form one, eps = 0.1 x + 0.01 mean(text)
 * + 1e-5 mean(t), whose `sample`, `encoder_hidden_states` and output are float16 (or float32):
 * the dtype plumbing of an fp16 export (casts on the device, fp16 uploads) on tiny sizes.
 */
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ElemType, encodeOnnxModel } from '../../engine/onnx/onnxWriter.js';
import { fixture, tempDir } from './fixtures.js';

export function closedFormUnetFolder(type: 'float16' | 'float32'): string {
  const dir = join(tempDir(), `tiny-${type}`);
  cpSync(fixture('tiny-sd/audio'), dir, { recursive: true });
  rmSync(join(dir, 'unet', 'model.onnx_data'));
  const to = (x: string, out: string, t: ElemType) => ({ op: 'Cast', inputs: [x], outputs: [out], attributes: { to: t === 'float16' ? 10 : 1 } });
  writeFileSync(join(dir, 'unet', 'model.onnx'), encodeOnnxModel({
    inputs: [
      { name: 'sample', type, shape: ['batch', 4, 'height', 'width'] },
      { name: 'timestep', type: 'int64', shape: ['batch'] },
      { name: 'encoder_hidden_states', type, shape: ['batch', 'sequence', 16] },
    ],
    outputs: [{ name: 'out_sample', type, shape: ['batch', 4, 'height', 'width'] }],
    nodes: [
      to('sample', 's', 'float32'), to('encoder_hidden_states', 'h', 'float32'), to('timestep', 't', 'float32'),
      { op: 'ReduceMean', inputs: ['h'], outputs: ['hm'], attributes: { keepdims: 0 } },
      { op: 'ReduceMean', inputs: ['t'], outputs: ['tm'], attributes: { keepdims: 0 } },
      { op: 'Mul', inputs: ['s', 'k_s'], outputs: ['a'] },
      { op: 'Mul', inputs: ['hm', 'k_h'], outputs: ['b'] },
      { op: 'Mul', inputs: ['tm', 'k_t'], outputs: ['c'] },
      { op: 'Add', inputs: ['a', 'b'], outputs: ['ab'] },
      { op: 'Add', inputs: ['ab', 'c'], outputs: ['o'] },
      to('o', 'out_sample', type),
    ],
    initializers: [
      { name: 'k_s', dims: [], data: Float32Array.of(0.1) },
      { name: 'k_h', dims: [], data: Float32Array.of(0.01) },
      { name: 'k_t', dims: [], data: Float32Array.of(1e-5) },
    ],
  }));
  return dir;
}
