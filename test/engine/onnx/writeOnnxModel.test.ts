import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GraphSpec, encodeOnnxModel } from '../../../engine/onnx/onnxWriter.js';
import { writeOnnxModel } from '../../../engine/onnx/writeOnnxModel.js';
import { createSession } from '../../../engine/ort/session.js';
import { tempDir } from '../../helpers/fixtures.js';

/** y = x W + b with W [64, 64] (16 KiB: goes external) and b [64] (256 bytes: stays inline). */
const w = Float32Array.from({ length: 64 * 64 }, (_, i) => Math.sin(i) / 8);
const b = Float32Array.from({ length: 64 }, (_, i) => i / 64);
const spec: GraphSpec = {
  inputs: [{ name: 'x', type: 'float32', shape: ['batch', 64] }],
  outputs: [{ name: 'y', type: 'float32', shape: ['batch', 64] }],
  nodes: [
    { op: 'MatMul', inputs: ['x', 'w'], outputs: ['xw'] },
    { op: 'Add', inputs: ['xw', 'b'], outputs: ['y'] },
  ],
  initializers: [{ name: 'w', dims: [64, 64], data: w }, { name: 'b', dims: [64], data: b }],
};
const lazy = { ...spec, initializers: spec.initializers!.map((t) => ({ name: t.name, dims: t.dims, type: 'float32' as const, data: () => t.data })) };

describe('writeOnnxModel', () => {
  it('streams inline weights to exactly the bytes encodeOnnxModel makes in memory', async () => {
    const path = join(tempDir(), 'model.onnx');
    const progress: number[] = [];
    expect(await writeOnnxModel(path, lazy, { onProgress: (n) => progress.push(n) })).toBe(4 * (64 * 64 + 64));
    expect(readFileSync(path).equals(Buffer.from(encodeOnnxModel(spec)))).toBe(true);
    expect(progress).toEqual([4 * 64 * 64, 4 * (64 * 64 + 64)]);
  });

  it('puts large tensors in an external data file that onnxruntime reads, with the same results', async () => {
    const dir = tempDir();
    await writeOnnxModel(join(dir, 'inline.onnx'), lazy);
    await writeOnnxModel(join(dir, 'model.onnx'), lazy, { externalData: 'model.onnx_data' });
    expect(statSync(join(dir, 'model.onnx')).size).toBeLessThan(1024);
    expect(statSync(join(dir, 'model.onnx_data')).size).toBe(4 * 64 * 64);
    const x = { type: 'float32' as const, data: Float32Array.from({ length: 128 }, (_, i) => Math.cos(i)), dims: [2, 64] };
    const results = [];
    for (const file of ['inline.onnx', 'model.onnx']) {
      const session = await createSession(join(dir, file));
      results.push(Array.from((await session.run({ x }))['y']!.data as Float32Array));
      await session.dispose();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]![0]).toBeCloseTo(Array.from({ length: 64 }, (_, k) => Math.cos(k) * w[k * 64]!).reduce((s, v) => s + v, 0) + b[0]!, 4);
  });
});
