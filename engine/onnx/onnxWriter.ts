/**
 * A minimal ONNX (protobuf) writer for generated models, tests and benchmarks: graphs of standard ops
 * with named inputs/outputs, symbolic or fixed dims, and initializers, encoded in memory
 * (`encodeOnnxModel`) or streamed to disk with the weights inline or in an external data file
 * (`writeOnnxModel.ts`). Field numbers from onnx.proto3 (ModelProto, GraphProto, NodeProto,
 * AttributeProto, ValueInfoProto, TensorProto).
 */
export type ElemType = 'float32' | 'float16' | 'int32' | 'int64';
const ELEM: Record<ElemType, number> = { float32: 1, float16: 10, int32: 6, int64: 7 };
/** bytes per element */
export const ELEM_SIZE: Record<ElemType, number> = { float32: 4, float16: 2, int32: 4, int64: 8 };

export interface ValueInfo {
  readonly name: string;
  readonly type: ElemType;
  /** numbers = fixed, strings = symbolic; undefined shape = rank unknown */
  readonly shape?: ReadonlyArray<number | string>;
}

/** An attribute value: an integer or float (by value), INTS, a STRING, or FLOATS as `{ floats }`. */
export type AttributeValue = number | readonly number[] | string | { readonly floats: readonly number[] };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
  /** operator domain ('' = the default ONNX domain) */
  readonly domain?: string;
}

export interface Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  /** float16 data is given as its raw bits (Uint16Array) */
  readonly data: Float32Array | BigInt64Array | Int32Array | Uint16Array;
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
    graphHead(g),
    ...(g.initializers ?? []).map((t) => field(5, concat([tensorHead(t.name, t.dims, typeOf(t.data)), field(9, bytesOf(t.data))]))),
    graphTail(g),
  ]);
  return concat([modelHead(g.opset), field(7, graph)]);
}

/** ModelProto fields before the graph (ir_version, producer, opset imports). */
export function modelHead(opset = 17): Uint8Array {
  return concat([
    varintField(1, 8), // ir_version
    field(2, utf8('synesthete')), // producer_name
    field(8, concat([field(1, utf8('')), varintField(2, opset)])),
  ]);
}

/** GraphProto fields before the initializers: nodes and the graph's name. */
export function graphHead(g: Pick<GraphSpec, 'nodes'>): Uint8Array {
  return concat([...g.nodes.map((n, i) => field(1, node(n, i))), field(2, utf8('graph'))]);
}

/** GraphProto fields after the initializers: inputs and outputs. */
export function graphTail(g: Pick<GraphSpec, 'inputs' | 'outputs'>): Uint8Array {
  return concat([...g.inputs.map((v) => field(11, valueInfo(v))), ...g.outputs.map((v) => field(12, valueInfo(v)))]);
}

/** TensorProto fields other than its data: dims, data_type, name. */
export function tensorHead(name: string, dims: readonly number[], type: ElemType): Uint8Array {
  return concat([...dims.map((d) => varintField(1, d)), varintField(2, ELEM[type]), field(8, utf8(name))]);
}

/** TensorProto fields pointing at `length` bytes at `offset` of the external data file `location`. */
export function externalDataFields(location: string, offset: number, length: number): Uint8Array {
  const entry = (key: string, value: string) => field(13, concat([field(1, utf8(key)), field(2, utf8(value))]));
  return concat([entry('location', location), entry('offset', String(offset)), entry('length', String(length)), varintField(14, 1)]);
}

function typeOf(data: Initializer['data']): ElemType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Uint16Array) return 'float16';
  return data instanceof Int32Array ? 'int32' : 'int64';
}

export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function node(n: NodeSpec, index: number): Uint8Array {
  return concat([
    ...n.inputs.map((s) => field(1, utf8(s))),
    ...n.outputs.map((s) => field(2, utf8(s))),
    field(3, utf8(`n${index}`)),
    field(4, utf8(n.op)),
    ...Object.entries(n.attributes ?? {}).map(([name, v]) => field(5, attribute(name, v))),
    ...(n.domain ? [field(7, utf8(n.domain))] : []),
  ]);
}

function attribute(name: string, v: AttributeValue): Uint8Array {
  const named = field(1, utf8(name));
  if (typeof v === 'number') {
    return Number.isInteger(v)
      ? concat([named, varintField(3, v), varintField(20, 2)]) // INT
      : concat([named, fixed32Field(2, v), varintField(20, 1)]); // FLOAT
  }
  if (typeof v === 'string') return concat([named, field(4, utf8(v)), varintField(20, 3)]); // STRING
  if ('floats' in v) return concat([named, ...v.floats.map((x) => fixed32Field(7, x)), varintField(20, 6)]); // FLOATS
  return concat([named, ...v.map((x) => varintField(8, x)), varintField(20, 7)]); // INTS
}

function valueInfo(v: ValueInfo): Uint8Array {
  const dims = v.shape?.map((d) => field(1, typeof d === 'number' ? varintField(1, d) : field(2, utf8(d))));
  const tensorType = concat([varintField(1, ELEM[v.type]), ...(dims ? [field(2, concat(dims))] : [])]);
  return concat([field(1, utf8(v.name)), field(2, field(1, tensorType))]);
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

/** The key and length of a length-delimited field whose payload is `length` bytes. */
export function fieldPrefix(num: number, length: number): Uint8Array {
  return Uint8Array.from([...varint((num << 3) | 2), ...varint(length)]);
}

export function field(num: number, payload: Uint8Array): Uint8Array {
  return concat([fieldPrefix(num, payload.length), payload]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
