import type { ValueInfo } from '../../onnx/onnxWriter.js';
import type { GraphBuilder } from './graphBuilder.js';
import { attention, layerNorm, linear } from './layers.js';
import { castOut } from './precision.js';

/** transformers' CLIPTextConfig settings that shape the graph. */
export interface TextEncoderConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediateSize: number;
  readonly maxPositions: number;
}

/** CLIP ViT-L/14's text tower, as in SD 1.5. */
export const SD15_TEXT_ENCODER: TextEncoderConfig = { vocabSize: 49408, hiddenSize: 768, layers: 12, heads: 12, intermediateSize: 3072, maxPositions: 77 };

const EPS = 1e-5;

/**
 * transformers' CLIPTextModel: token + position embeddings, pre-LayerNorm encoder layers with
 * causal self-attention and quick_gelu MLPs, final LayerNorm; input_ids int32 [batch, sequence] ->
 * last_hidden_state [batch, sequence, hidden], pooler_output [batch, hidden] (the state at the
 * end-of-text token, the largest id).
 */
export function buildTextEncoder(g: GraphBuilder, c: TextEncoderConfig): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  const H = c.hiddenSize;
  const prefix = 'text_model';
  const tokens = g.weight(`${prefix}.embeddings.token_embedding.weight`, [c.vocabSize, H], { bound: 0.02 * Math.sqrt(3) });
  const positions = g.weight(`${prefix}.embeddings.position_embedding.weight`, [c.maxPositions, H], { bound: 0.01 * Math.sqrt(3) });
  const length = g.op('Gather', [g.op('Shape', ['input_ids']), g.ints([1])]);
  const zero = g.ints([0]);
  let h = g.op('Add', [
    g.op('Gather', [tokens, 'input_ids']),
    g.op('Slice', [positions, zero, length, zero]),
  ]);
  // causal mask: the most negative float above the diagonal (as transformers), cut to the sequence
  const mask = Array.from({ length: c.maxPositions * c.maxPositions }, (_, i) => (i % c.maxPositions > Math.floor(i / c.maxPositions) ? -3.4028234663852886e38 : 0));
  const causal = g.op('Slice', [g.floats(mask, [c.maxPositions, c.maxPositions]), g.ints([0, 0]), g.op('Concat', [length, length], { axis: 0 }), g.ints([0, 1])]);
  for (let i = 0; i < c.layers; i++) {
    const layer = `${prefix}.encoder.layers.${i}`;
    const n1 = layerNorm(g, h, `${layer}.layer_norm1`, H, EPS);
    const q = linear(g, n1, `${layer}.self_attn.q_proj`, H, H);
    const k = linear(g, n1, `${layer}.self_attn.k_proj`, H, H);
    const v = linear(g, n1, `${layer}.self_attn.v_proj`, H, H);
    h = g.op('Add', [h, linear(g, attention(g, q, k, v, c.heads, H, causal), `${layer}.self_attn.out_proj`, H, H)]);
    const n2 = layerNorm(g, h, `${layer}.layer_norm2`, H, EPS);
    const up = linear(g, n2, `${layer}.mlp.fc1`, H, c.intermediateSize);
    const act = g.op('Mul', [up, g.op('Sigmoid', [g.op('Mul', [up, g.floats([1.702], [])])])]); // quick_gelu
    h = g.op('Add', [h, linear(g, act, `${layer}.mlp.fc2`, c.intermediateSize, H)]);
  }
  const last = layerNorm(g, h, `${prefix}.final_layer_norm`, H, EPS);
  const eos = g.op('Expand', [g.op('Unsqueeze', [g.op('ArgMax', ['input_ids'], { axis: 1, keepdims: 1 }), g.ints([2])]), g.ints([1, 1, H])]);
  const pooled = g.op('Squeeze', [g.op('GatherElements', [last, eos], { axis: 1 }), g.ints([1])]);
  g.nodes.push(
    { op: 'Identity', inputs: [castOut(g, last)], outputs: ['last_hidden_state'] },
    { op: 'Identity', inputs: [castOut(g, pooled)], outputs: ['pooler_output'] },
  );
  return {
    inputs: [{ name: 'input_ids', type: 'int32', shape: ['batch', 'sequence'] }],
    outputs: [
      { name: 'last_hidden_state', type: 'float32', shape: ['batch', 'sequence', H] },
      { name: 'pooler_output', type: 'float32', shape: ['batch', H] },
    ],
  };
}
