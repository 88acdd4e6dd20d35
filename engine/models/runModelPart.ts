import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { type NpyArray, type NpyWriteDtype, readNpy, writeNpy } from '../io/npy.js';
import { halfToFloat, toFloat16Bits } from '../io/float16.js';
import { type ModelSession, type SessionOptions, type Tensor, type TensorInfo, createSession } from '../ort/session.js';
import { MODEL_PARTS, type ModelPart } from './modelFolder.js';

/** One `--input NAME=FILE.npy`. */
export interface PartInput {
  readonly name: string;
  readonly file: string;
}

/** Parses `NAME=FILE.npy`. */
export function parsePartInput(spec: string): PartInput {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new UserError(`--input ${JSON.stringify(spec)}: expected NAME=FILE.npy (NAME is the graph input's name)`);
  return { name: spec.slice(0, eq), file: spec.slice(eq + 1) };
}

/**
 * Runs one part of a model folder (DIR/PART/model.onnx) on .npy inputs and writes its outputs as
 * .npy: the first to `out`, the others beside it as `<out without .npy>.<output name>.npy`.
 * Inputs are checked against the graph (names, rank, fixed dims) and cast to its dtypes before
 * anything runs. @returns the files written, first output first
 */
export async function runModelPart(dir: string, part: string, inputs: readonly PartInput[], out: string,
  options: SessionOptions = {}): Promise<string[]> {
  if (!(MODEL_PARTS as readonly string[]).includes(part)) throw new UserError(`part '${part}': expected one of ${MODEL_PARTS.join(', ')}`);
  const path = join(dir, part as ModelPart, 'model.onnx');
  if (!existsSync(path)) throw new UserError(`${path}: not found`);
  if (!out.endsWith('.npy')) throw new UserError(`--out ${out}: expected a file name ending in .npy`);
  let session: ModelSession;
  try {
    session = await createSession(path, options);
  } catch (e) {
    throw new UserError(`${path}: cannot load ONNX model (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
  }
  try {
    const feeds = partFeeds(session, inputs);
    const result = await session.run(feeds);
    const stem = join(dirname(out), basename(out, '.npy'));
    return session.outputs.map((o, i) => {
      const file = i === 0 ? out : `${stem}.${o.name}.npy`;
      const t = result[o.name]!;
      const { data, dtype } = npyData(t);
      writeNpy(file, data, t.dims, dtype);
      return file;
    });
  } finally {
    await session.dispose();
  }
}

/** Reads and checks every input file against the session's inputs; one UserError per problem found first. */
export function partFeeds(session: Pick<ModelSession, 'path' | 'inputs'>, inputs: readonly PartInput[]): Record<string, Tensor> {
  const names = session.inputs.map((i) => i.name);
  const feeds: Record<string, Tensor> = {};
  for (const input of inputs) {
    const info = session.inputs.find((i) => i.name === input.name);
    if (!info) throw new UserError(`--input ${input.name}: ${session.path} has no input '${input.name}' (inputs: ${names.join(', ')})`);
    if (input.name in feeds) throw new UserError(`--input ${input.name}: given twice`);
    feeds[input.name] = castTo(info, readNpy(input.file), input.file);
  }
  const missing = names.filter((n) => !(n in feeds));
  if (missing.length > 0) {
    const wanted = session.inputs.filter((i) => missing.includes(i.name)).map((i) => `${i.name}: ${i.type}[${i.shape.join(', ')}]`);
    throw new UserError(`${session.path}: missing --input for ${wanted.join('; ')}`);
  }
  return feeds;
}

function castTo(info: TensorInfo, array: NpyArray, file: string): Tensor {
  const fits = array.shape.length === info.shape.length
    && info.shape.every((d, i) => typeof d !== 'number' || d <= 0 || d === array.shape[i]);
  if (!fits) {
    throw new UserError(`${file}: shape (${array.shape.join(', ')}) does not fit input ${info.name} [${info.shape.join(', ')}]`);
  }
  const v = array.data;
  const dims = array.shape;
  switch (info.type) {
    case 'float32': return { type: 'float32', data: v instanceof Float32Array ? v : Float32Array.from(v), dims };
    case 'float16': return { type: 'float16', data: toFloat16Bits(Float32Array.from(v)), dims };
    case 'float64': return { type: 'float64', data: Float64Array.from(v), dims };
    case 'int32': return { type: 'int32', data: Int32Array.from(v, Math.trunc), dims };
    case 'int64': return { type: 'int64', data: BigInt64Array.from(Array.from(v, (x) => BigInt(Math.trunc(x)))), dims };
    case 'int8': return { type: 'int8', data: Int8Array.from(v, Math.trunc), dims };
    case 'uint8': case 'bool': return { type: info.type, data: Uint8Array.from(v, (x) => (info.type === 'bool' ? Number(x !== 0) : x)), dims };
    default: throw new UserError(`input ${info.name}: dtype ${info.type} cannot be fed from .npy`);
  }
}

function npyData(t: Tensor): { data: ArrayLike<number>; dtype: NpyWriteDtype } {
  const d = t.data;
  if (d instanceof BigInt64Array) return { data: Array.from(d, Number), dtype: '<i8' };
  if (t.type === 'float16' && d instanceof Uint16Array) return { data: Float32Array.from(d, halfToFloat), dtype: '<f4' };
  if (d instanceof Float64Array) return { data: d, dtype: '<f8' };
  if (d instanceof Int32Array) return { data: d, dtype: '<i4' };
  if (d instanceof Uint8Array) return { data: d, dtype: t.type === 'bool' ? '|b1' : '|u1' };
  return { data: d as ArrayLike<number>, dtype: '<f4' };
}
