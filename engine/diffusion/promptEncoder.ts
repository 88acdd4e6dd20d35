import type { DiffusionModel } from '../models/loadModel.js';
import type { Tensor } from '../ort/session.js';

/**
 * Prompt -> text-encoder hidden states [sequence x hidden] (batch 1), cached per prompt: prompts
 * repeat every step of every segment. `input_ids` is fed in the dtype the model declares.
 */
export class PromptEncoder {
  private readonly cache = new Map<string, Float32Array>();

  constructor(private readonly model: DiffusionModel) {}

  async encode(prompt: string): Promise<Float32Array> {
    const hit = this.cache.get(prompt);
    if (hit) return hit;
    const ids = this.model.tokenizer.encodePadded(prompt);
    const input: Tensor = this.model.inputIds.type === 'int64'
      ? { type: 'int64', data: BigInt64Array.from(ids, (v) => BigInt(v)), dims: [1, ids.length] }
      : { type: 'int32', data: Int32Array.from(ids), dims: [1, ids.length] };
    const out = await this.model.textEncoder.run({ [this.model.inputIds.name]: input });
    const hidden = out[this.model.hiddenStatesOutput];
    if (!hidden || !(hidden.data instanceof Float32Array)) throw new Error(`${this.model.textEncoder.path}: no float32 ${this.model.hiddenStatesOutput} output`);
    const embedding = new Float32Array(hidden.data);
    this.cache.set(prompt, embedding);
    return embedding;
  }
}
