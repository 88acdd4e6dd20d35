import type { DiffusionModel } from '../models/loadModel.js';
import type { Tensor } from '../ort/session.js';

/**
 * One classifier-free-guided noise estimate: the UNet runs once on the batch [uncond; cond] and
 * e = e_u + g (e_c - e_u). Batch buffers are kept between calls, so a step allocates only what
 * onnxruntime returns.
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
    if (this.sample.length !== 2 * n) this.sample = new Float32Array(2 * n);
    if (this.hidden.length !== 2 * m) this.hidden = new Float32Array(2 * m);
    this.sample.set(input, 0);
    this.sample.set(input, n);
    this.hidden.set(uncond, 0);
    this.hidden.set(cond, m);
    const started = performance.now();
    const result = await this.model.unet.run({
      sample: { type: 'float32', data: this.sample, dims: [2, ...dims] },
      timestep: this.timestep(t),
      encoder_hidden_states: { type: 'float32', data: this.hidden, dims: [2, this.model.tokenizer.maxLength, m / this.model.tokenizer.maxLength] },
    });
    this.runMs += performance.now() - started;
    const e = result[this.model.unetOutput]!.data as Float32Array;
    for (let i = 0; i < n; i++) {
      const eu = e[i]!, ec = e[n + i]!;
      out[i] = eu + guidance * (ec - eu);
    }
  }

  private timestep(t: number): Tensor {
    const info = this.model.timestep;
    const dims = info.shape.length === 0 ? [] : [2];
    const count = dims.length === 0 ? 1 : 2;
    if (info.type === 'int64') return { type: 'int64', data: new BigInt64Array(count).fill(BigInt(Math.trunc(t))), dims };
    if (info.type === 'int32') return { type: 'int32', data: new Int32Array(count).fill(Math.trunc(t)), dims };
    return { type: 'float32', data: new Float32Array(count).fill(t), dims };
  }
}
