import { type FileHandle, open } from 'node:fs/promises';
import { basename, join, dirname } from 'node:path';
import {
  type ElemType, type GraphSpec, ELEM_SIZE, bytesOf, externalDataFields, field, fieldPrefix, graphHead, graphTail, modelHead, tensorHead,
} from './onnxWriter.js';

/** An initializer whose data is made only when it is written (one tensor in memory at a time). */
export interface LazyInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: ElemType;
  /** the tensor's data, little-endian, exactly product(dims) elements of `type` */
  data(): ArrayBufferView;
}

export interface StreamedGraphSpec extends Omit<GraphSpec, 'initializers'> {
  readonly initializers: readonly LazyInitializer[];
}

export interface WriteOnnxOptions {
  /**
   * File name (beside the model) for the weights: then model.onnx holds only the graph and
   * references, as protobuf cannot hold more than 2 GB; inline otherwise.
   */
  readonly externalData?: string;
  /** after every initializer written: bytes of weight data so far */
  readonly onProgress?: (bytes: number) => void;
}

/**
 * Smaller tensors stay inline, as onnx's convert_model_to_external_data does (size_threshold 1024):
 * shape inference must read shape and axis constants from the model itself.
 */
const INLINE_BELOW = 1024;
/** External tensors start on 4 KiB boundaries so that onnxruntime can map them page-aligned. */
const ALIGN = 4096;

/**
 * Writes an ONNX model to `path` streaming: each initializer's data is made, written and dropped
 * before the next, so a 3.4 GB model never sits in memory. Inline data works because every
 * length prefix is known in advance from the dims.
 * @returns bytes of weight data written
 */
export async function writeOnnxModel(path: string, g: StreamedGraphSpec, options: WriteOnnxOptions = {}): Promise<number> {
  const sizes = g.initializers.map((t) => t.dims.reduce((a, b) => a * b, 1) * ELEM_SIZE[t.type]);
  const model = await open(path, 'w');
  try {
    if (options.externalData) {
      await writeExternal(model, join(dirname(path), options.externalData), g, sizes, options.onProgress);
    } else {
      await writeInline(model, g, sizes, options.onProgress);
    }
  } finally {
    await model.close();
  }
  return sizes.reduce((a, b) => a + b, 0);
}

async function writeInline(out: FileHandle, g: StreamedGraphSpec, sizes: readonly number[], onProgress?: (bytes: number) => void) {
  const head = graphHead(g);
  const tail = graphTail(g);
  const tensors = g.initializers.map((t, i) => {
    const header = tensorHead(t.name, t.dims, t.type);
    const dataPrefix = fieldPrefix(9, sizes[i]!); // raw_data
    const length = header.length + dataPrefix.length + sizes[i]!;
    return { prefix: fieldPrefix(5, length), header, dataPrefix };
  });
  const graphLength = head.length + tail.length + tensors.reduce((n, t, i) => n + t.prefix.length + t.header.length + t.dataPrefix.length + sizes[i]!, 0);
  await out.write(modelHead(g.opset));
  await out.write(fieldPrefix(7, graphLength));
  await out.write(head);
  let written = 0;
  for (const [i, t] of tensors.entries()) {
    await out.write(t.prefix);
    await out.write(t.header);
    await out.write(t.dataPrefix);
    written += await writeData(out, g.initializers[i]!, sizes[i]!);
    onProgress?.(written);
  }
  await out.write(tail);
}

async function writeExternal(out: FileHandle, dataPath: string, g: StreamedGraphSpec, sizes: readonly number[],
  onProgress?: (bytes: number) => void) {
  const location = basename(dataPath);
  const data = await open(dataPath, 'w');
  const messages: Uint8Array[] = [];
  try {
    let offset = 0;
    let written = 0;
    for (const [i, t] of g.initializers.entries()) {
      const bytes = bytesOf(checked(t, sizes[i]!));
      const header = tensorHead(t.name, t.dims, t.type);
      if (bytes.length < INLINE_BELOW) {
        const inline = field(9, bytes); // raw_data
        messages.push(fieldPrefix(5, header.length + inline.length), header, inline);
      } else {
        offset = Math.ceil(offset / ALIGN) * ALIGN;
        await data.write(bytes, 0, bytes.length, offset);
        const ref = externalDataFields(location, offset, bytes.length);
        messages.push(fieldPrefix(5, header.length + ref.length), header, ref);
        offset += bytes.length;
      }
      written += bytes.length;
      onProgress?.(written);
    }
  } finally {
    await data.close();
  }
  const head = graphHead(g);
  const tail = graphTail(g);
  const graphLength = head.length + tail.length + messages.reduce((n, m) => n + m.length, 0);
  await out.write(modelHead(g.opset));
  await out.write(fieldPrefix(7, graphLength));
  await out.write(head);
  for (const m of messages) await out.write(m);
  await out.write(tail);
}

async function writeData(out: FileHandle, t: LazyInitializer, size: number): Promise<number> {
  await out.write(bytesOf(checked(t, size)));
  return size;
}

function checked(t: LazyInitializer, size: number): ArrayBufferView {
  const data = t.data();
  if (data.byteLength !== size) throw new Error(`initializer ${t.name}: ${data.byteLength} bytes of data for dims [${t.dims.join(', ')}] (${size} expected)`);
  return data;
}
