import { UserError } from '../errors.js';
import type { RgbImage } from '../io/rgbImage.js';
import type { DiffusionModel } from '../models/loadModel.js';
import type { DecoderOutputRange } from '../models/vaeFolder.js';
import type { ModelSession } from '../ort/session.js';
import { type Latent, latentOf } from './latent.js';

/** The VAE's spatial factor for SD 1.x: one latent cell is 8 x 8 pixels. */
export const VAE_FACTOR = 8;

/** A decoder session and how to feed it and read it (see {@link modelDecoder}, inspectVaeFolder). */
export interface LatentDecoder {
  readonly session: ModelSession;
  /** the decoder takes latents / scalingFactor */
  readonly scalingFactor: number;
  readonly outputRange: DecoderOutputRange;
}

/** The model's own SD VAE decoder: latents / its scaling factor in, -1..1 out. */
export function modelDecoder(model: DiffusionModel): LatentDecoder {
  return { session: model.vaeDecoder, scalingFactor: model.folder.vaeScalingFactor, outputRange: '-1..1' };
}

/**
 * Latents -> RGB: image = clamp(decoder(latents / scaling) / 2 + 0.5, 0, 1) * 255, rounded (the
 * diffusers/Riffusion convention for the SD VAE's -1..1); a 0..1 decoder (TAESD) skips the / 2 + 0.5.
 */
export async function decodeLatents(decoder: LatentDecoder | DiffusionModel, latent: Latent): Promise<RgbImage> {
  const { session, scalingFactor, outputRange } = 'session' in decoder ? decoder : modelDecoder(decoder);
  const scale = 1 / scalingFactor;
  const input = new Float32Array(latent.data.length);
  for (let i = 0; i < input.length; i++) input[i] = latent.data[i]! * scale;
  const tensor = { type: 'float32' as const, data: input, dims: [1, latent.channels, latent.height, latent.width] };
  // an fp16 decoder takes its latents cast on the device (Node 20 has no Float16Array)
  const half = session.inputs.find((i) => i.name === 'latent_sample')?.type === 'float16';
  const feed = half ? await session.upload(tensor, 'float16') : tensor;
  let out;
  try {
    out = await session.run({ latent_sample: feed });
  } finally {
    if ('location' in feed) feed.dispose();
  }
  const sample = Object.values(out)[0]!;
  const [, channels, height, width] = sample.dims as [number, number, number, number];
  if (channels !== 3) throw new Error(`${session.path}: expected 3 output channels, got ${channels}`);
  const data = sample.data as Float32Array;
  const [mul, add] = outputRange === '-1..1' ? [0.5, 0.5] : [1, 0];
  const plane = height * width;
  const rgb = new Uint8Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = Math.min(1, Math.max(0, data[c * plane + i]! * mul + add));
      rgb[i * 3 + c] = Math.round(v * 255);
    }
  }
  return { width, height, rgb };
}

/**
 * RGB -> latents: x / 255 * 2 - 1 through the VAE encoder; of `latent_parameters` (mean ‖ logvar)
 * the MEAN is taken (deterministic, as the reference cases do; Riffusion samples it instead),
 * `latent_sample` is used as it is; then times the scaling factor.
 */
export async function encodeImage(model: DiffusionModel, image: RgbImage): Promise<Latent> {
  if (!model.vaeEncoder || !model.vaeEncoderOutput) throw new UserError(`${model.folder.dir}: no vae_encoder/model.onnx: init images (img2img, interpolation) need one`);
  const { width, height } = image;
  const plane = width * height;
  const input = new Float32Array(plane * 3);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) input[c * plane + i] = (image.rgb[i * 3 + c]! / 255) * 2 - 1;
  const out = await model.vaeEncoder.run({ sample: { type: 'float32', data: input, dims: [1, 3, height, width] } });
  const result = out[model.vaeEncoderOutput.name]!;
  const [, ch, h, w] = result.dims as [number, number, number, number];
  const channels = model.vaeEncoderOutput.parameters ? ch / 2 : ch;
  const data = (result.data as Float32Array).slice(0, channels * h * w);
  for (let i = 0; i < data.length; i++) data[i]! *= model.folder.vaeScalingFactor;
  return latentOf(channels, h, w, data);
}
