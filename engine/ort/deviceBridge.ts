/**
 * Moving tensors onto and off a GPU provider's device with two one-node graphs (Identity or
 * Cast) run on that provider: an upload session keeps its output on the device, a download
 * session returns it to the CPU. onnxruntime-node 1.30 can take GPU tensors as inputs and keep
 * outputs on the device (`preferredOutputLocation: 'gpu-buffer'`), but reading a GPU tensor back
 * with `getData()` aborts the process (seen with WebGPU on Mesa lavapipe): a download graph does
 * the same copy through `session.run`, which works.
 */
import * as ort from 'onnxruntime-node';
import { encodeOnnxModel } from '../onnx/onnxWriter.js';

type FloatType = 'float32' | 'float16';

/** One-node graph x (rank unknown) -> y, casting when the types differ. */
function copyGraph(from: FloatType, to: FloatType): Uint8Array {
  return encodeOnnxModel({
    inputs: [{ name: 'x', type: from }],
    outputs: [{ name: 'y', type: to }],
    nodes: [from === to ? { op: 'Identity', inputs: ['x'], outputs: ['y'] } : { op: 'Cast', inputs: ['x'], outputs: ['y'], attributes: { to: to === 'float16' ? 10 : 1 } }],
  });
}

/** Upload (CPU float32 -> device `to`) and download (device `from` -> CPU float32) sessions, made on first use. */
export class DeviceBridge {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();

  constructor(private readonly provider: string) {}

  /** A CPU float32 tensor on the device as `type` (float16 is converted there). */
  async upload(tensor: ort.Tensor, type: FloatType): Promise<ort.Tensor> {
    const session = await this.session('up', 'float32', type);
    return (await session.run({ x: tensor }))['y']!;
  }

  /** A device float tensor back on the CPU as float32. */
  async download(tensor: ort.Tensor): Promise<ort.Tensor> {
    const session = await this.session('down', tensor.type as FloatType, 'float32');
    return (await session.run({ x: tensor }))['y']!;
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (s) => (await s).release()));
  }

  private session(direction: 'up' | 'down', from: FloatType, to: FloatType): Promise<ort.InferenceSession> {
    const key = `${direction}:${from}:${to}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = ort.InferenceSession.create(copyGraph(from, to), {
        executionProviders: [this.provider],
        logSeverityLevel: 3,
        ...(direction === 'up' ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
      });
      this.sessions.set(key, s);
    }
    return s;
  }
}
