import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { placementSummary, readNodePlacement } from '../../../engine/ort/nodePlacement.js';
import { createSession } from '../../../engine/ort/session.js';
import { TransferMeter } from '../../../engine/ort/transferMeter.js';
import { encodeOnnxModel } from '../../../engine/onnx/onnxWriter.js';
import { tempDir } from '../../helpers/fixtures.js';
import { userError } from '../../helpers/userError.js';

const double = encodeOnnxModel({
  inputs: [{ name: 'x', type: 'float32', shape: ['n'] }],
  outputs: [{ name: 'y', type: 'float32', shape: ['n'] }],
  nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
});

describe('device tensors at the ORT boundary (CPU provider)', () => {
  it('chains runs through device tensors, casts uploads to float16 and back, and counts no transfers on the CPU', async () => {
    const meter = new TransferMeter();
    const s = await createSession(double, { meter }, 'double');
    try {
      const x = { type: 'float32' as const, data: Float32Array.of(1, 2.5, -3), dims: [3] };
      const once = (await s.runOnDevice({ x }))['y']!;
      expect(once).toMatchObject({ location: 'device', type: 'float32', dims: [3] });
      const twice = await s.run({ x: once });
      expect([...(twice['y']!.data as Float32Array)]).toEqual([4, 10, -12]);
      const half = await s.upload({ type: 'float32', data: Float32Array.of(1 / 3, 65504, 1e-8), dims: [3] }, 'float16');
      expect(half.type).toBe('float16');
      const back = [...((await s.download(half)).data as Float32Array)];
      expect(back[0]).toBeCloseTo(1 / 3, 3);
      expect(back[0]).not.toBe(Math.fround(1 / 3)); // really rounded to half precision
      expect(back[1]).toBe(65504);
      expect(back[2]).toBe(0); // below float16's smallest subnormal
      half.dispose();
      once.dispose();
      expect(meter.snapshot()).toEqual({ uploads: 0, uploadBytes: 0, downloads: 0, downloadBytes: 0 });
    } finally {
      await s.dispose();
    }
  });

  it('reads node placement from a profiling trace', async () => {
    const dir = tempDir();
    const s = await createSession(double, { profileDir: dir }, 'double');
    await s.run({ x: { type: 'float32', data: Float32Array.of(1, 2), dims: [2] } });
    const placement = readNodePlacement(s.endProfiling()!);
    await s.dispose();
    expect(placement.nodesByProvider).toEqual({ CPUExecutionProvider: 1 });
    expect(placement.nodes[0]).toMatchObject({ op: 'Add', outputTypes: ['float'], outputBytes: 8 });
    // on the CPU provider a float node counts as CPU compute: the report is meant for GPU runs
    expect(placementSummary(placement)).toMatch(/^1 CPUExecutionProvider \(CPU: 0 shape, 1 compute\), 0 copies/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"not": "a trace"}');
    expect(userError(() => readNodePlacement(bad))).toMatch(/bad.json: not an onnxruntime profiling trace \(expected a JSON array\)/);
  });
});
