import type { RgbImage } from '../io/rgbImage.js';
import { type DiffusionModel, checkCompatible, loadModel } from '../models/loadModel.js';
import { type ExecutionProvider, type SessionOptions, createSession } from '../ort/session.js';
import { inspectVaeFolder } from '../models/vaeFolder.js';
import { UserError } from '../errors.js';
import type { Latent } from './latent.js';
import type { Recipe } from './recipe.js';
import { type SampleRequest, type SampleResult, Sampler, type SamplerOptions } from './sampler.js';
import { TransferMeter } from '../ort/transferMeter.js';
import { type LatentDecoder, decodeLatents } from './vae.js';

export interface GeneratorOptions {
  readonly audioModel: string;
  readonly pictureModel?: string;
  /** a decoder folder (TAESD, another model's VAE) replacing the models' own VAE for decoding */
  readonly vaeModel?: string;
  readonly provider?: ExecutionProvider;
  readonly threads?: number;
  readonly onWarning?: (message: string) => void;
  /** see SamplerOptions.deviceLoop */
  readonly deviceLoop?: SamplerOptions['deviceLoop'];
}

export interface Generation extends SampleResult {
  readonly image: RgbImage;
}

/**
 * Loaded models plus a sampler: recipe + noise in, latents and the decoded picture out. Runs on
 * the calling thread (onnxruntime blocks it for each step): use GeneratorClient to run it in a
 * worker thread.
 */
export class Generator {
  private constructor(private readonly audio: DiffusionModel, private readonly picture: DiffusionModel | undefined,
    private readonly sampler: Sampler, private readonly vae: LatentDecoder | undefined) {}

  static async load(options: GeneratorOptions): Promise<Generator> {
    // one meter for every part: the device transfers of a generation add up in one place
    const session: SessionOptions = {
      meter: new TransferMeter(),
      ...(options.provider ? { provider: options.provider } : {}),
      ...(options.threads ? { threads: options.threads } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    };
    const audio = await loadModel(options.audioModel, session);
    let picture: DiffusionModel | undefined;
    let vae: LatentDecoder | undefined;
    try {
      // if the provider fell back to the CPU for the audio model, do not try (and warn) again
      picture = options.pictureModel ? await loadModel(options.pictureModel, { ...session, provider: audio.unet.provider }) : undefined;
      if (picture) checkCompatible(audio, picture);
      vae = options.vaeModel ? await loadDecoder(options.vaeModel, { ...session, provider: audio.unet.provider }) : undefined;
    } catch (e) {
      await audio.dispose();
      await picture?.dispose();
      throw e;
    }
    const samplerOptions = options.deviceLoop ? { deviceLoop: options.deviceLoop } : {};
    return new Generator(audio, picture, new Sampler({ audio, ...(picture ? { picture } : {}) }, samplerOptions), vae);
  }

  get latentChannels(): number {
    return this.audio.latentChannels ?? 4;
  }

  async generate(request: SampleRequest): Promise<Generation> {
    const sampled = await this.sampler.sample(request);
    const image = await this.decode(sampled.latent, request.recipe);
    return { ...sampled, image };
  }

  /**
   * Decodes with the `vaeModel` decoder when one was loaded, else the recipe's VAE (the audio
   * model's by default). Wide joined latents decode in one piece.
   */
  decode(latent: Latent, recipe: Pick<Recipe, 'vae'>): Promise<RgbImage> {
    if (this.vae) return decodeLatents(this.vae, latent);
    const model = recipe.vae === 'picture' && this.picture ? this.picture : this.audio;
    return decodeLatents(model, latent);
  }

  async dispose(): Promise<void> {
    await this.sampler.dispose();
    await this.audio.dispose();
    await this.picture?.dispose();
    await this.vae?.session.dispose();
  }
}

/** A `vaeModel` folder's decoder session, checked to take `latent_sample`. */
async function loadDecoder(dir: string, options: SessionOptions): Promise<LatentDecoder> {
  const folder = inspectVaeFolder(dir);
  let session;
  try {
    session = await createSession(folder.decoder, options);
  } catch (e) {
    throw new UserError(`${folder.decoder}: cannot load ONNX model (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
  }
  if (!session.inputs.some((i) => i.name === 'latent_sample')) {
    await session.dispose();
    throw new UserError(`${folder.decoder}: missing input latent_sample (has ${session.inputs.map((i) => i.name).join(', ')})`);
  }
  return { session, scalingFactor: folder.scalingFactor, outputRange: folder.outputRange };
}
