/**
 * A minimal ONNX (protobuf) writer for generated models, tests and benchmarks: enough to build small graphs of
 * standard ops with named inputs/outputs, symbolic or fixed dims, and float initializers.
 * Field numbers from onnx.proto3 (ModelProto, GraphProto, NodeProto, ValueInfoProto, TensorProto).
 */
export type ElemType = 'float32' | 'int32' | 'int64' | 'float16';
const ELEM: Record<ElemType, number> = { float32: 1, int32: 6, int64: 7, float16: 10 };

export interface ValueInfo {
  readonly name: string;
  readonly type: ElemType;
  /** numbers = fixed, strings = symbolic; undefined shape = rank unknown */
  readonly shape?: ReadonlyArray<number | string>;
}

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, number | readonly number[]>>;
}

export interface Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

export interface GraphSpec {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly NodeSpec[];
  readonly initializers?: readonly Initializer[];
  readonly opset?: number;
}

export function encodeOnnxModel(g: GraphSpec): Uint8Array {
  const graph = concat([
    ...g.nodes.map((n, i) => field(1, node(n, i))),
    field(2, utf8('graph')),
    ...(g.initializers ?? []).map((t) => field(5, tensor(t))),
    ...g.inputs.map((v) => field(11, valueInfo(v))),
    ...g.outputs.map((v) => field(12, valueInfo(v))),
  ]);
  return concat([
    varintField(1, 8), // ir_version
    field(2, utf8('synesthete-test')), // producer_name
    field(7, graph),
    field(8, concat([field(1, utf8('')), varintField(2, g.opset ?? 17)])),
  ]);
}

function node(n: NodeSpec, index: number): Uint8Array {
  return concat([
    ...n.inputs.map((s) => field(1, utf8(s))),
    ...n.outputs.map((s) => field(2, utf8(s))),
    field(3, utf8(`n${index}`)),
    field(4, utf8(n.op)),
    ...Object.entries(n.attributes ?? {}).map(([name, v]) => field(5, attribute(name, v))),
  ]);
}

function attribute(name: string, v: number | readonly number[]): Uint8Array {
  if (typeof v === 'number') {
    return Number.isInteger(v)
      ? concat([field(1, utf8(name)), varintField(3, v), varintField(20, 2)]) // INT
      : concat([field(1, utf8(name)), fixed32Field(2, v), varintField(20, 1)]); // FLOAT
  }
  return concat([field(1, utf8(name)), ...v.map((x) => varintField(8, x)), varintField(20, 7)]); // INTS
}

function valueInfo(v: ValueInfo): Uint8Array {
  const dims = v.shape?.map((d) => field(1, typeof d === 'number' ? varintField(1, d) : field(2, utf8(d))));
  const tensorType = concat([varintField(1, ELEM[v.type]), ...(dims ? [field(2, concat(dims))] : [])]);
  return concat([field(1, utf8(v.name)), field(2, field(1, tensorType))]);
}

function tensor(t: Initializer): Uint8Array {
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return concat([...t.dims.map((d) => varintField(1, d)), varintField(2, t.data instanceof Float32Array ? 1 : 7), field(8, utf8(t.name)), field(9, raw)]);
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n;
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

function varintField(num: number, value: number): Uint8Array {
  return Uint8Array.from([...varint(num << 3), ...varint(value)]);
}

function fixed32Field(num: number, value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  return Uint8Array.from([...varint((num << 3) | 5), ...b]);
}

function field(num: number, payload: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...varint((num << 3) | 2), ...varint(payload.length)]), payload]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
