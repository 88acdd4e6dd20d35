import type { DiffusionModel } from '../models/loadModel.js';
import type { Tensor } from '../ort/session.js';
import { tokenizeWeighted } from '../tokenizer/promptWeights.js';

/**
 * Prompt -> text-encoder hidden states [sequence x hidden] (batch 1), cached per prompt: prompts
 * repeat every step of every segment. `input_ids` is fed in the dtype the model declares.
 * Riffusion's prompt weighting is honoured: `(word)` x1.1, `[word]` /1.1, `(word:1.5)`; weighted
 * token rows are scaled, then the whole embedding is rescaled to its unweighted mean (Riffusion's
 * "lpw" pipeline). A prompt without weights is encoded exactly as plain CLIP ids.
 */
export class PromptEncoder {
  private readonly cache = new Map<string, Float32Array>();

  constructor(private readonly model: DiffusionModel) {}

  async encode(prompt: string): Promise<Float32Array> {
    const hit = this.cache.get(prompt);
    if (hit) return hit;
    const { ids, weights } = tokenizeWeighted(this.model.tokenizer, prompt);
    const input: Tensor = this.model.inputIds.type === 'int64'
      ? { type: 'int64', data: BigInt64Array.from(ids, (v) => BigInt(v)), dims: [1, ids.length] }
      : { type: 'int32', data: Int32Array.from(ids), dims: [1, ids.length] };
    const out = await this.model.textEncoder.run({ [this.model.inputIds.name]: input });
    const hidden = out[this.model.hiddenStatesOutput];
    if (!hidden || !(hidden.data instanceof Float32Array)) throw new Error(`${this.model.textEncoder.path}: no float32 ${this.model.hiddenStatesOutput} output`);
    const embedding = new Float32Array(hidden.data);
    if (weights.some((w) => w !== 1)) applyWeights(embedding, weights);
    this.cache.set(prompt, embedding);
    return embedding;
  }
}

/** Scales token row t by weights[t], then the whole embedding back to its previous mean. */
export function applyWeights(embedding: Float32Array, weights: Float32Array): void {
  const hidden = embedding.length / weights.length;
  let before = 0;
  for (let i = 0; i < embedding.length; i++) before += embedding[i]!;
  let after = 0;
  for (let t = 0; t < weights.length; t++) {
    for (let h = 0; h < hidden; h++) {
      const i = t * hidden + h;
      embedding[i]! *= weights[t]!;
      after += embedding[i]!;
    }
  }
  if (after === 0) return;
  const rescale = before / after;
  for (let i = 0; i < embedding.length; i++) embedding[i]! *= rescale;
}
