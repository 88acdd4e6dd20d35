import { toFloat16Bits } from '../../io/float16.js';
import type { AttributeValue, NodeSpec, ValueInfo } from '../../onnx/onnxWriter.js';
import type { LazyInitializer, StreamedGraphSpec } from '../../onnx/writeOnnxModel.js';
import { uniformWeights } from './randomWeights.js';

/** Float type of a generated graph's weights and arithmetic. */
export type FloatType = 'float32' | 'float16';

/** How a weight is drawn: `base + bound * u`, u uniform in [-1, 1) (PyTorch's default init is base 0, bound 1/sqrt(fan_in)). */
export interface WeightInit {
  readonly bound: number;
  readonly base?: number;
}

/** A trained parameter: named as in diffusers' / transformers' state dict, with its shape. */
export interface WeightSpec {
  readonly name: string;
  readonly dims: readonly number[];
  readonly init: WeightInit;
}

/**
 * Builds an ONNX graph node by node. Weights are only described (name, shape, how to draw them):
 * counting parameters allocates nothing, and data is drawn when the graph is written, one tensor
 * at a time, from (seed, name), so a weight's values do not depend on the order of the others.
 */
export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly weights: WeightSpec[] = [];
  private readonly constants: { name: string; dims: number[]; data: Float32Array | BigInt64Array; float32?: boolean }[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly floatType: FloatType) {}

  /** Adds one node; returns its output name(s). */
  op(op: string, inputs: readonly string[], attributes?: Readonly<Record<string, AttributeValue>>): string;
  op(op: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> | undefined, outputs: number): string[];
  op(op: string, inputs: readonly string[], attributes?: Readonly<Record<string, AttributeValue>>, outputs?: number): string | string[] {
    const names = Array.from({ length: outputs ?? 1 }, () => `${op}_${this.counter++}`);
    this.nodes.push({ op, inputs, outputs: names, ...(attributes ? { attributes } : {}) });
    return outputs === undefined ? names[0]! : names;
  }

  /** Declares a trained weight (in the graph's float type); returns its name. */
  weight(name: string, dims: readonly number[], init: WeightInit): string {
    if (this.names.has(name)) throw new Error(`weight ${name} declared twice`);
    this.names.add(name);
    this.weights.push({ name, dims: [...dims], init });
    return name;
  }

  /** A constant tensor in the graph's float type (not a trained parameter), or float32 where an op needs it (Resize scales). */
  floats(values: readonly number[], dims: readonly number[] = [values.length], type?: 'float32'): string {
    return this.constant(Float32Array.from(values), dims, type === 'float32');
  }

  /** A constant int64 tensor (shapes, axes, indices). */
  ints(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(BigInt64Array.from(values.map(BigInt)), dims);
  }

  private constant(data: Float32Array | BigInt64Array, dims: readonly number[], float32 = false): string {
    const name = `const_${this.constants.length}`;
    this.constants.push({ name, dims: [...dims], data, float32 });
    return name;
  }

  /** Trained parameters (constants excluded), computed from the shapes alone. */
  parameterCount(): number {
    return this.weights.reduce((n, w) => n + w.dims.reduce((a, b) => a * b, 1), 0);
  }

  /** The graph, its weights drawn lazily from `seed`. */
  graph(inputs: readonly ValueInfo[], outputs: readonly ValueInfo[], seed: number): StreamedGraphSpec {
    const float = (values: Float32Array) => (this.floatType === 'float16' ? toFloat16Bits(values) : values);
    const initializers: LazyInitializer[] = [
      ...this.weights.map((w) => ({ name: w.name, dims: w.dims, type: this.floatType, data: () => float(uniformWeights(seed, w)) })),
      ...this.constants.map((c): LazyInitializer => {
        if (c.data instanceof BigInt64Array) return { name: c.name, dims: c.dims, type: 'int64', data: () => c.data };
        const values = c.data;
        return c.float32
          ? { name: c.name, dims: c.dims, type: 'float32', data: () => values }
          : { name: c.name, dims: c.dims, type: this.floatType, data: () => float(values) };
      }),
    ];
    return { inputs, outputs, nodes: this.nodes, initializers, opset: 17 };
  }
}
