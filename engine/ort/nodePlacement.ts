/**
 * Which execution provider ran each graph node, read from an onnxruntime profiling trace (the
 * `provider` of every `Node` event), and what that means: nodes left on the CPU under a GPU
 * provider, split into shape arithmetic (integer outputs, placed there on purpose by onnxruntime)
 * and compute fallbacks (float outputs: real work the GPU provider does not implement), plus the
 * copies onnxruntime inserted between the two (`MemcpyFromHost` / `MemcpyToHost` nodes).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

export interface PlacedNode {
  readonly name: string;
  readonly op: string;
  readonly provider: string;
  /** element types of the outputs (`float`, `int64`, ...) */
  readonly outputTypes: readonly string[];
  /** bytes of the outputs in the profiled run */
  readonly outputBytes: number;
}

export interface NodePlacement {
  /** distinct nodes per provider (`WebGpuExecutionProvider`: 812, `CPUExecutionProvider`: 40) */
  readonly nodesByProvider: Readonly<Record<string, number>>;
  /** CPU nodes with a float output: work that fell back from the GPU provider */
  readonly computeFallbacks: readonly PlacedNode[];
  /** CPU nodes with only integer/bool outputs (shape arithmetic) */
  readonly shapeNodesOnCpu: number;
  /** copies onnxruntime made between CPU and device inside the graph, per run */
  readonly memcpy: { readonly nodes: number; readonly bytes: number };
  readonly nodes: readonly PlacedNode[];
}

interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly args?: { readonly provider?: string; readonly op_name?: string; readonly output_size?: string; readonly output_type_shape?: ReadonlyArray<Record<string, unknown>> };
}

const CPU = 'CPUExecutionProvider';
const FLOAT_TYPES = new Set(['float', 'float16', 'double', 'bfloat16']);

/**
 * The placement in one profiling trace. Nodes are counted once however many runs it holds.
 * @throws UserError naming the file when it is not a trace
 * @example
 * const placement = readNodePlacement(session.endProfiling()!);
 * placement.computeFallbacks.map((n) => n.op); // [] when the GPU runs every float op
 */
export function readNodePlacement(traceFile: string): NodePlacement {
  let events: unknown;
  try {
    events = JSON.parse(readFileSync(traceFile, 'utf8'));
  } catch (e) {
    throw new UserError(`${traceFile}: not an onnxruntime profiling trace (${(e as Error).message.split('\n')[0]})`);
  }
  if (!Array.isArray(events)) throw new UserError(`${traceFile}: not an onnxruntime profiling trace (expected a JSON array)`);
  const byName = new Map<string, PlacedNode>();
  for (const e of events as TraceEvent[]) {
    if (e.cat !== 'Node' || !e.args?.provider || !e.name || !e.name.endsWith('_kernel_time')) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    if (byName.has(name)) continue;
    const outputTypes = (e.args.output_type_shape ?? []).flatMap((o) => Object.keys(o));
    byName.set(name, { name, op: e.args.op_name ?? '?', provider: e.args.provider, outputTypes, outputBytes: Number(e.args.output_size ?? 0) });
  }
  const nodes = [...byName.values()];
  const nodesByProvider: Record<string, number> = {};
  for (const n of nodes) nodesByProvider[n.provider] = (nodesByProvider[n.provider] ?? 0) + 1;
  const onCpu = nodes.filter((n) => n.provider === CPU);
  const isFloat = (n: PlacedNode) => n.outputTypes.some((t) => FLOAT_TYPES.has(t));
  const copies = nodes.filter((n) => n.op === 'MemcpyFromHost' || n.op === 'MemcpyToHost');
  return {
    nodesByProvider,
    computeFallbacks: onCpu.filter(isFloat),
    shapeNodesOnCpu: onCpu.filter((n) => !isFloat(n)).length,
    memcpy: { nodes: copies.length, bytes: copies.reduce((s, n) => s + n.outputBytes, 0) },
    nodes,
  };
}

/** One line: `812 WebGpuExecutionProvider, 40 CPUExecutionProvider (40 shape, 0 compute), 2 copies (16 B)`. */
export function placementSummary(p: NodePlacement): string {
  const providers = Object.entries(p.nodesByProvider).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join(', ');
  const fallbacks = p.computeFallbacks.length > 0 ? `; compute on the CPU: ${p.computeFallbacks.map((n) => `${n.op} ${n.name}`).join(', ')}` : '';
  return `${providers} (CPU: ${p.shapeNodesOnCpu} shape, ${p.computeFallbacks.length} compute), ${p.memcpy.nodes} copies (${p.memcpy.bytes} B per run)${fallbacks}`;
}
