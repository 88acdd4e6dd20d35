import { UserError } from '../errors.js';
import { type ModelSession, type SessionOptions, type TensorInfo, createSession } from '../ort/session.js';
import type { ClipTokenizer } from '../tokenizer/clipTokenizer.js';
import { loadTokenizer } from '../tokenizer/loadTokenizer.js';
import { type ModelFolder, inspectModelFolder } from './modelFolder.js';

/**
 * A loaded Stable Diffusion 1.x model: its ONNX sessions, tokenizer and what their metadata says.
 * Names, dtypes and sizes come from the sessions, never from constants: exports differ (the UNet
 * `timestep` is int64 [batch], float32 [batch] or a float32 scalar; `input_ids` int32 or int64;
 * hidden size 768 for real models, 16 for the test fixtures).
 */
export interface DiffusionModel {
  readonly folder: ModelFolder;
  readonly tokenizer: ClipTokenizer;
  readonly textEncoder: ModelSession;
  readonly unet: ModelSession;
  readonly vaeDecoder: ModelSession;
  readonly vaeEncoder?: ModelSession;
  readonly inputIds: TensorInfo;
  readonly hiddenStatesOutput: string;
  readonly timestep: TensorInfo;
  readonly unetOutput: string;
  /** text encoder hidden size (cross-attention width), if the model states it */
  readonly textHiddenSize: number | undefined;
  /** UNet latent channels (4 for SD 1.x), if the model states it */
  readonly latentChannels: number | undefined;
  /** name of the VAE encoder output and whether it holds mean ‖ logvar (`latent_parameters`) */
  readonly vaeEncoderOutput?: { readonly name: string; readonly parameters: boolean };
  dispose(): Promise<void>;
}

export async function loadModel(dir: string, options: SessionOptions = {}): Promise<DiffusionModel> {
  const folder = inspectModelFolder(dir);
  const tokenizer = loadTokenizer(folder.tokenizerDir);
  const sessions: ModelSession[] = [];
  // The first part decides the provider: if it fell back to the CPU, the others go straight there
  // (one warning, not one per part).
  let provider = options.provider;
  const open = async (path: string) => {
    try {
      const session = await createSession(path, { ...options, ...(provider ? { provider } : {}) });
      sessions.push(session);
      provider = session.provider;
      return session;
    } catch (e) {
      throw new UserError(`${path}: cannot load ONNX model (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
    }
  };
  try {
    const textEncoder = await open(folder.textEncoder);
    const unet = await open(folder.unet);
    const vaeDecoder = await open(folder.vaeDecoder);
    const vaeEncoder = folder.vaeEncoder ? await open(folder.vaeEncoder) : undefined;
    return describe(folder, tokenizer, textEncoder, unet, vaeDecoder, vaeEncoder, () => Promise.all(sessions.map((s) => s.dispose())).then(() => undefined));
  } catch (e) {
    // sessions opened before the failure are released, not leaked
    await Promise.all(sessions.map((s) => s.dispose()));
    throw e;
  }
}

function describe(folder: ModelFolder, tokenizer: ClipTokenizer, textEncoder: ModelSession, unet: ModelSession,
  vaeDecoder: ModelSession, vaeEncoder: ModelSession | undefined, dispose: () => Promise<void>): DiffusionModel {
  const input = (s: ModelSession, name: string) => s.inputs.find((i) => i.name === name);
  const requireInputs = (s: ModelSession, names: string[]) => {
    const missing = names.filter((n) => !input(s, n));
    if (missing.length > 0) {
      throw new UserError(`${s.path}: missing input(s) ${missing.join(', ')} (has ${s.inputs.map((i) => i.name).join(', ')})`);
    }
  };
  requireInputs(textEncoder, ['input_ids']);
  requireInputs(unet, ['sample', 'timestep', 'encoder_hidden_states']);
  requireInputs(vaeDecoder, ['latent_sample']);
  const hiddenStatesOutput = textEncoder.outputs.find((o) => o.name === 'last_hidden_state')?.name ?? textEncoder.outputs[0]!.name;
  const textHiddenSize = fixedDim(textEncoder.outputs.find((o) => o.name === hiddenStatesOutput)!.shape, 2);
  const crossAttention = fixedDim(input(unet, 'encoder_hidden_states')!.shape, 2);
  if (textHiddenSize !== undefined && crossAttention !== undefined && textHiddenSize !== crossAttention) {
    throw new UserError(`${folder.dir}: text encoder hidden size ${textHiddenSize} does not match the UNet's cross-attention input ${crossAttention}`);
  }
  const latentChannels = fixedDim(input(unet, 'sample')!.shape, 1);
  const vaeLatent = fixedDim(input(vaeDecoder, 'latent_sample')!.shape, 1);
  if (latentChannels !== undefined && vaeLatent !== undefined && latentChannels !== vaeLatent) {
    throw new UserError(`${folder.dir}: UNet latents have ${latentChannels} channels, the VAE decoder expects ${vaeLatent}`);
  }
  let vaeEncoderOutput: DiffusionModel['vaeEncoderOutput'];
  if (vaeEncoder) {
    requireInputs(vaeEncoder, ['sample']);
    const out = vaeEncoder.outputs.find((o) => o.name === 'latent_parameters') ?? vaeEncoder.outputs.find((o) => o.name === 'latent_sample');
    if (!out) throw new UserError(`${vaeEncoder.path}: expected an output latent_parameters or latent_sample`);
    vaeEncoderOutput = { name: out.name, parameters: out.name === 'latent_parameters' };
  }
  return {
    folder, tokenizer, textEncoder, unet, vaeDecoder,
    ...(vaeEncoder ? { vaeEncoder } : {}),
    ...(vaeEncoderOutput ? { vaeEncoderOutput } : {}),
    inputIds: input(textEncoder, 'input_ids')!,
    hiddenStatesOutput,
    timestep: input(unet, 'timestep')!,
    unetOutput: unet.outputs.find((o) => o.name === 'out_sample')?.name ?? unet.outputs[0]!.name,
    textHiddenSize: textHiddenSize ?? crossAttention,
    latentChannels: latentChannels ?? vaeLatent,
    dispose,
  };
}

/** A picture model and an audio model must share a latent space to steer one latent. */
export function checkCompatible(audio: DiffusionModel, picture: DiffusionModel): void {
  if (audio.latentChannels !== undefined && picture.latentChannels !== undefined && audio.latentChannels !== picture.latentChannels) {
    throw new UserError(`${picture.folder.dir}: picture model latents have ${picture.latentChannels} channels, the audio model's (${audio.folder.dir}) have ${audio.latentChannels}`);
  }
}

function fixedDim(shape: ReadonlyArray<number | string>, index: number): number | undefined {
  const d = shape[index];
  return typeof d === 'number' && d > 0 ? d : undefined;
}
