import * as ort from 'onnxruntime-node';

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
}

export interface ModelSession {
  readonly path: string;
  /** the provider actually in use (after any fallback) */
  readonly provider: ExecutionProvider;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  dispose(): Promise<void>;
}

/**
 * Opens an ONNX model by path (external weight files next to it are found by onnxruntime).
 * onnxruntime does not fall back by itself: if `provider` cannot start, this retries on the CPU
 * and reports it once through `onWarning`.
 */
export async function createSession(path: string, options: SessionOptions = {}): Promise<ModelSession> {
  const provider = options.provider ?? 'cpu';
  try {
    return wrap(path, provider, await ort.InferenceSession.create(path, sessionOptions(provider, options)));
  } catch (e) {
    if (provider === 'cpu') throw e;
    options.onWarning?.(`execution provider '${provider}' could not start (${firstLine(e)}); using the CPU instead`);
    return wrap(path, 'cpu', await ort.InferenceSession.create(path, sessionOptions('cpu', options)));
  }
}

function sessionOptions(provider: ExecutionProvider, options: SessionOptions): ort.InferenceSession.SessionOptions {
  return {
    // onnxruntime logs a failed GPU provider itself (red, multi-line); our one-line warning says it
    ...(provider === 'cpu' ? { logSeverityLevel: 3 as const } : { logSeverityLevel: 4 as const }),
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    intraOpNumThreads: options.threads ?? 0,
    interOpNumThreads: 1,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(options.memoryArena === false ? { enableCpuMemArena: false, enableMemPattern: false } : {}),
  };
}

function wrap(path: string, provider: ExecutionProvider, session: ort.InferenceSession): ModelSession {
  const info = (metadata: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] => metadata.map((m) => ({
    name: m.name,
    type: (m.isTensor ? m.type : 'float32') as TensorType,
    shape: m.isTensor ? [...m.shape] : [],
  }));
  const inputs = info(session.inputMetadata);
  const outputs = info(session.outputMetadata);
  return {
    path, provider, inputs, outputs,
    async run(feeds) {
      const missing = inputs.filter((i) => !(i.name in feeds)).map((i) => i.name);
      if (missing.length > 0) throw new Error(`${path}: missing inputs ${missing.join(', ')}`);
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
      let result: ort.InferenceSession.OnnxValueMapType;
      try {
        result = await session.run(ortFeeds);
      } catch (e) {
        const shapes = Object.entries(feeds).map(([n, t]) => `${n}: ${t.type}[${t.dims.join(',')}]`).join(', ');
        throw new Error(`${path}: inference failed (${firstLine(e)}) with inputs ${shapes}`);
      }
      const out: Record<string, Tensor> = {};
      for (const [name, value] of Object.entries(result)) {
        const t = value as ort.Tensor;
        out[name] = { type: t.type as TensorType, data: t.data as TensorData, dims: [...t.dims] };
      }
      return out;
    },
    dispose: () => session.release(),
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}
