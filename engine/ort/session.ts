import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { DeviceBridge } from './deviceBridge.js';
import { TransferMeter } from './transferMeter.js';

/**
 * The one place that imports onnxruntime-node. Everything else sees `ModelSession`: names, dtypes
 * and shapes read from the model, plain typed arrays in and out.
 */

export type ExecutionProvider = 'cpu' | 'webgpu' | 'cuda';
export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ['cpu', 'webgpu', 'cuda'];

export type TensorType = 'float32' | 'float16' | 'int32' | 'int64' | 'bool' | 'uint8' | 'int8' | 'float64' | 'string';

export interface TensorInfo {
  readonly name: string;
  readonly type: TensorType;
  /** numbers for fixed dimensions, names for symbolic ones; [] = scalar */
  readonly shape: ReadonlyArray<number | string>;
}

export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array | Float64Array | Int8Array | Uint16Array;

export interface Tensor {
  readonly type: TensorType;
  readonly data: TensorData;
  readonly dims: readonly number[];
}

/**
 * A tensor kept where the session's provider computes (GPU memory for `webgpu`; for `cpu`, plain
 * memory): fed to the next run without a copy. Free it with `dispose()` once no run needs it.
 */
export interface DeviceTensor {
  readonly location: 'device';
  readonly type: TensorType;
  readonly dims: readonly number[];
  dispose(): void;
}

/** What a run takes per input. */
export type Feed = Tensor | DeviceTensor;

export interface SessionOptions {
  /** default 'cpu' */
  readonly provider?: ExecutionProvider;
  /** intra-op threads; 0 or undefined = onnxruntime's default */
  readonly threads?: number;
  /** onnxruntime's graph optimisation level (default 'all'); for benchmarks and tuning */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** onnxruntime's CPU memory arena and memory pattern planning (default on); for benchmarks and tuning */
  readonly memoryArena?: boolean;
  /** told once when the chosen provider could not start and the CPU is used instead */
  readonly onWarning?: (message: string) => void;
  /** counts CPU <-> GPU copies at this boundary; sessions given the same meter add up */
  readonly meter?: TransferMeter;
  /** onnxruntime profiling on: a trace per session in this folder (see nodePlacement.ts) */
  readonly profileDir?: string;
}

export interface ModelSession {
  readonly path: string;
  /** the provider actually in use (after any fallback) */
  readonly provider: ExecutionProvider;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** what crossed between the CPU and the device in this session's runs */
  readonly meter: TransferMeter;
  /** outputs on the CPU (device outputs are downloaded, counted by the meter) */
  run(feeds: Record<string, Feed>): Promise<Record<string, Tensor>>;
  /** outputs left on the device, for the next run */
  runOnDevice(feeds: Record<string, Feed>): Promise<Record<string, DeviceTensor>>;
  /** a float32 CPU tensor onto the device, as `type` (default float32; float16 is cast there) */
  upload(tensor: Tensor, type?: 'float32' | 'float16'): Promise<DeviceTensor>;
  /** a device tensor back on the CPU, as float32 */
  download(tensor: DeviceTensor): Promise<Tensor>;
  /** with `profileDir`: ends profiling and returns the trace file */
  endProfiling(): string | undefined;
  dispose(): Promise<void>;
}

/**
 * Opens an ONNX model by path (external weight files next to it are found by onnxruntime), or a
 * generated graph given as bytes (`label` names it in messages).
 * onnxruntime does not fall back by itself: if `provider` cannot start, this retries on the CPU
 * and reports it once through `onWarning`.
 */
export async function createSession(model: string | Uint8Array, options: SessionOptions = {}, label = typeof model === 'string' ? model : 'generated graph'): Promise<ModelSession> {
  const provider = options.provider ?? 'cpu';
  // each session's trace gets its own name, so endProfiling finds its own file
  const profilePrefix = options.profileDir ? `ort-profile-${process.pid}-${++profiles}` : undefined;
  const open = (p: ExecutionProvider) => typeof model === 'string'
    ? ort.InferenceSession.create(model, sessionOptions(p, options, profilePrefix))
    : ort.InferenceSession.create(model, sessionOptions(p, options, profilePrefix));
  try {
    return wrap(label, provider, await open(provider), options, profilePrefix);
  } catch (e) {
    if (provider === 'cpu') throw e;
    options.onWarning?.(`execution provider '${provider}' could not start (${firstLine(e)}); using the CPU instead`);
    return wrap(label, 'cpu', await open('cpu'), options, profilePrefix);
  }
}

let profiles = 0;

function sessionOptions(provider: ExecutionProvider, options: SessionOptions, profilePrefix?: string): ort.InferenceSession.SessionOptions {
  return {
    // onnxruntime logs a failed GPU provider itself (red, multi-line); our one-line warning says it
    ...(provider === 'cpu' ? { logSeverityLevel: 3 as const } : { logSeverityLevel: 4 as const }),
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    intraOpNumThreads: options.threads ?? 0,
    interOpNumThreads: 1,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(options.memoryArena === false ? { enableCpuMemArena: false, enableMemPattern: false } : {}),
    // GPU outputs stay on the device; run() brings back what the caller reads
    ...(provider === 'cpu' ? {} : { preferredOutputLocation: 'gpu-buffer' as const }),
    ...(profilePrefix ? { enableProfiling: true, profileFilePrefix: join(options.profileDir!, profilePrefix) } : {}),
  };
}

const bridges = new Map<ExecutionProvider, DeviceBridge>();
function bridgeFor(provider: ExecutionProvider): DeviceBridge {
  let b = bridges.get(provider);
  if (!b) bridges.set(provider, (b = new DeviceBridge(provider)));
  return b;
}

/** ORT tensors behind the DeviceTensors handed out (the handle hides onnxruntime from callers). */
const deviceTensors = new WeakMap<DeviceTensor, ort.Tensor>();

function toDevice(t: ort.Tensor): DeviceTensor {
  const handle: DeviceTensor = { location: 'device', type: t.type as TensorType, dims: [...t.dims], dispose: () => t.dispose() };
  deviceTensors.set(handle, t);
  return handle;
}

function ortTensorOf(d: DeviceTensor): ort.Tensor {
  const t = deviceTensors.get(d);
  if (!t) throw new Error('not a device tensor of this process');
  return t;
}

const ELEMENT_BYTES: Partial<Record<string, number>> = { float32: 4, float16: 2, int64: 8, int32: 4, float64: 8, uint16: 2, int16: 2 };
/** bytes of a tensor (read from its size: the data of a GPU tensor cannot be touched) */
const byteSize = (t: Tensor | ort.Tensor): number =>
  'size' in t ? t.size * (ELEMENT_BYTES[t.type] ?? 1) : (t.data as ArrayBufferView).byteLength;

function wrap(path: string, provider: ExecutionProvider, session: ort.InferenceSession, options: SessionOptions, profilePrefix?: string): ModelSession {
  const info = (metadata: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] => metadata.map((m) => ({
    name: m.name,
    type: (m.isTensor ? m.type : 'float32') as TensorType,
    shape: m.isTensor ? [...m.shape] : [],
  }));
  const inputs = info(session.inputMetadata);
  const outputs = info(session.outputMetadata);
  const meter = options.meter ?? new TransferMeter();
  const onGpu = provider !== 'cpu';
  const bridge = bridgeFor(provider);
  const cpuTensor = (t: ort.Tensor): Tensor => ({ type: t.type as TensorType, data: t.data as TensorData, dims: [...t.dims] });
  const download = async (t: ort.Tensor): Promise<Tensor> => {
    if (t.location !== 'gpu-buffer') return cpuTensor(t);
    const back = await bridge.download(t);
    meter.download(byteSize(back));
    return cpuTensor(back);
  };
  const runOrt = async (feeds: Record<string, Feed>): Promise<ort.InferenceSession.OnnxValueMapType> => {
    const missing = inputs.filter((i) => !(i.name in feeds)).map((i) => i.name);
    if (missing.length > 0) throw new Error(`${path}: missing inputs ${missing.join(', ')}`);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      if ('location' in t) {
        ortFeeds[name] = ortTensorOf(t);
        continue;
      }
      ortFeeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
      if (onGpu) meter.upload(byteSize(t));
    }
    try {
      return await session.run(ortFeeds);
    } catch (e) {
      const shapes = Object.entries(feeds).map(([n, t]) => `${n}: ${t.type}[${t.dims.join(',')}]${'location' in t ? ' (device)' : ''}`).join(', ');
      throw new Error(`${path}: inference failed (${firstLine(e)}) with inputs ${shapes}`);
    }
  };
  return {
    path, provider, inputs, outputs, meter,
    async run(feeds) {
      const result = await runOrt(feeds);
      const out: Record<string, Tensor> = {};
      for (const [name, value] of Object.entries(result)) {
        const t = value as ort.Tensor;
        out[name] = await download(t);
        if (t.location === 'gpu-buffer') t.dispose();
        else if (onGpu) meter.download(byteSize(t));
      }
      return out;
    },
    async runOnDevice(feeds) {
      const result = await runOrt(feeds);
      const out: Record<string, DeviceTensor> = {};
      for (const [name, value] of Object.entries(result)) out[name] = toDevice(value as ort.Tensor);
      return out;
    },
    async upload(tensor, type = 'float32') {
      if (!onGpu && type === tensor.type) return toDevice(new ort.Tensor(tensor.type as 'float32', tensor.data as Float32Array, tensor.dims));
      if (onGpu) meter.upload(byteSize(tensor));
      return toDevice(await bridge.upload(new ort.Tensor('float32', tensor.data as Float32Array, tensor.dims), type));
    },
    async download(tensor) {
      const t = ortTensorOf(tensor);
      if (!onGpu && t.type === 'float32') return cpuTensor(t);
      const back = await bridge.download(t);
      if (onGpu) meter.download(byteSize(back));
      return cpuTensor(back);
    },
    endProfiling() {
      if (!options.profileDir || !profilePrefix) return undefined;
      session.endProfiling();
      const files = readdirSync(options.profileDir).filter((f) => f.startsWith(`${profilePrefix}_`) && f.endsWith('.json')).sort();
      return files.length > 0 ? join(options.profileDir, files[files.length - 1]!) : undefined;
    },
    dispose: () => session.release(),
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}
