import type { DiffusionModel } from '../models/loadModel.js';
import type { Tensor } from '../ort/session.js';

/**
 * One classifier-free-guided noise estimate: the UNet runs once on the batch [uncond; cond] and
 * e = e_u + g (e_c - e_u). With g = 1 that is e_c: the UNet runs on [cond] alone, half the work
 * (LCM-LoRA models are run so: their guidance is distilled in). Batch buffers are kept between
 * calls, so a step allocates only what onnxruntime returns.
 */
export class GuidedUnet {
  private sample = new Float32Array(0);
  private hidden = new Float32Array(0);
  /** milliseconds spent inside the UNet's session.run, summed over calls */
  runMs = 0;

  constructor(private readonly model: DiffusionModel) {}

  /**
   * @param input scaled model input [C, H, W]
   * @param t scheduler timestep (integer inputs get it truncated toward zero)
   * @param uncond, cond text hidden states [sequence x hidden]
   * @param out receives the guided estimate [C, H, W]
   */
  async predict(input: Float32Array, dims: readonly [number, number, number], t: number,
    uncond: Float32Array, cond: Float32Array, guidance: number, out: Float32Array): Promise<void> {
    const n = input.length, m = uncond.length;
    const batch = guidance === 1 ? 1 : 2;
    if (this.sample.length !== batch * n) this.sample = new Float32Array(batch * n);
    if (this.hidden.length !== batch * m) this.hidden = new Float32Array(batch * m);
    this.sample.set(input, 0);
    if (batch === 2) this.sample.set(input, n);
    this.hidden.set(batch === 2 ? uncond : cond, 0);
    if (batch === 2) this.hidden.set(cond, m);
    const started = performance.now();
    const result = await this.model.unet.run({
      sample: { type: 'float32', data: this.sample, dims: [batch, ...dims] },
      timestep: timestepTensor(this.model, t, batch),
      encoder_hidden_states: { type: 'float32', data: this.hidden, dims: [batch, this.model.tokenizer.maxLength, m / this.model.tokenizer.maxLength] },
    });
    this.runMs += performance.now() - started;
    const e = result[this.model.unetOutput]!.data as Float32Array;
    if (batch === 1) {
      out.set(e.subarray(0, n));
      return;
    }
    for (let i = 0; i < n; i++) {
      const eu = e[i]!, ec = e[n + i]!;
      out[i] = eu + guidance * (ec - eu);
    }
  }
}

/**
 * The UNet's `timestep` input for t in the dtype and rank the model declares (integer inputs get
 * t truncated toward zero), for a batch of `batch`.
 */
export function timestepTensor(model: DiffusionModel, t: number, batch: number): Tensor {
  const info = model.timestep;
  const dims = info.shape.length === 0 ? [] : [batch];
  const count = dims.length === 0 ? 1 : batch;
  if (info.type === 'int64') return { type: 'int64', data: new BigInt64Array(count).fill(BigInt(Math.trunc(t))), dims };
  if (info.type === 'int32') return { type: 'int32', data: new Int32Array(count).fill(Math.trunc(t)), dims };
  return { type: 'float32', data: new Float32Array(count).fill(t), dims };
}
