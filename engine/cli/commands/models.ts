import { Command, Option } from 'commander';
import { type DiffusionModel, loadModel } from '../../models/loadModel.js';
import { EXECUTION_PROVIDERS, type ExecutionProvider, type TensorInfo } from '../../ort/session.js';
import { runAction } from '../runAction.js';
import { parsePartInput, runModelPart } from '../../models/runModelPart.js';
import { MODEL_PARTS } from '../../models/modelFolder.js';
import { parseThreads } from '../threadsOption.js';

/** `models check DIR`: validate a model folder and print what it holds; `models run DIR PART`: run one part on .npy inputs. */
export function modelsCommand(): Command {
  const models = new Command('models').summary('inspect and run diffusion model folders').description('Inspect diffusion model folders (diffusers/Optimum ONNX exports) and run their parts.');
  models
    .command('check')
    .summary('validate a model folder and print what it found')
    .description('Open every ONNX part of a Stable Diffusion 1.x model folder, check that they fit together '
      + '(text hidden size = UNet cross-attention width, UNet latent channels = VAE channels) and print '
      + 'layout, inputs/outputs with dtypes and shapes, hidden size, latent channels and scheduler.')
    .argument('<dir>', 'model folder: model_index.json, scheduler/, tokenizer/, text_encoder/, unet/, vae_decoder/ [, vae_encoder/]')
    .addOption(new Option('--provider <name>', 'execution provider to try (falls back to cpu with a warning)').choices(EXECUTION_PROVIDERS).default('cpu'))
    .option('--json', 'print the summary as one JSON object on the last line')
    .addHelpText('after', '\nExample:\n  $ synesthete models check models/riffusion-model-v1\n')
    .action(runAction(async (dir: string, opts: { provider: ExecutionProvider; json?: boolean }) => {
      const model = await loadModel(dir, { provider: opts.provider, onWarning: (m) => process.stderr.write(`synesthete: warning: ${m}\n`) });
      try {
        const summary = summarise(model);
        if (opts.json) console.log(JSON.stringify(summary));
        else printSummary(summary);
      } finally {
        await model.dispose();
      }
    }));
  models
    .command('run')
    .summary('run one part of a model folder on .npy inputs')
    .description('Run one ONNX part of a model folder (text_encoder, unet, vae_decoder, vae_encoder) on inputs read from .npy '
      + 'files, each cast to the graph input\'s dtype, and write the first output to --out and any others beside it as '
      + '<out>.<output name>.npy. For debugging an export, or checking a graph against a reference from outside.')
    .argument('<dir>', 'model folder (DIR/PART/model.onnx)')
    .argument('<part>', `one of ${MODEL_PARTS.join(', ')}`)
    .option('--input <name=file>', 'graph input NAME from FILE.npy (repeat for each input)', (spec: string, all: string[]) => [...all, spec], [])
    .requiredOption('--out <file.npy>', 'where the first output goes')
    .addOption(new Option('--provider <name>', 'execution provider to try (falls back to cpu with a warning)').choices(EXECUTION_PROVIDERS).default('cpu'))
    .option('--threads <n>', 'onnxruntime intra-op threads (0 = its default)')
    .addHelpText('after', '\nExample:\n  $ synesthete models run models/sd15 unet --input sample=x.npy --input timestep=t.npy '
      + '--input encoder_hidden_states=text.npy --out eps.npy\n')
    .action(runAction(async (dir: string, part: string, opts: { input: string[]; out: string; provider: ExecutionProvider; threads?: string }) => {
      const threads = parseThreads(opts.threads);
      const files = await runModelPart(dir, part, opts.input.map(parsePartInput), opts.out, {
        provider: opts.provider, ...(threads ? { threads } : {}), onWarning: (m) => process.stderr.write(`synesthete: warning: ${m}\n`),
      });
      for (const f of files) console.log(`wrote ${f}`);
    }));
  return models;
}

function summarise(model: DiffusionModel) {
  const part = (s: { path: string; inputs: readonly TensorInfo[]; outputs: readonly TensorInfo[]; provider: string } | undefined) => s && ({
    path: s.path, provider: s.provider,
    inputs: s.inputs.map(describe), outputs: s.outputs.map(describe),
  });
  return {
    dir: model.folder.dir,
    layout: model.folder.layout,
    scheduler: model.folder.schedulerConfig?.['_class_name'] ?? null,
    textHiddenSize: model.textHiddenSize ?? null,
    latentChannels: model.latentChannels ?? null,
    timestep: describe(model.timestep),
    vaeScalingFactor: model.folder.vaeScalingFactor,
    img2img: model.vaeEncoder !== undefined,
    tokenizer: { maxLength: model.tokenizer.maxLength, padId: model.tokenizer.padId },
    parts: { textEncoder: part(model.textEncoder), unet: part(model.unet), vaeDecoder: part(model.vaeDecoder), vaeEncoder: part(model.vaeEncoder) ?? null },
  };
}

function describe(t: TensorInfo): string {
  return `${t.name}: ${t.type}[${t.shape.join(', ')}]`;
}

function printSummary(s: ReturnType<typeof summarise>): void {
  console.log(`model folder ${s.dir}: OK (${s.layout} layout)`);
  console.log(`  scheduler: ${s.scheduler ?? 'none (scheduler/scheduler_config.json missing: defaults apply)'}`);
  console.log(`  text hidden size ${s.textHiddenSize ?? 'dynamic'}, latent channels ${s.latentChannels ?? 'dynamic'}, VAE scaling ${s.vaeScalingFactor}`);
  console.log(`  UNet ${s.timestep}; img2img ${s.img2img ? 'yes' : 'no (no vae_encoder)'}; tokenizer ${s.tokenizer.maxLength} positions, pad id ${s.tokenizer.padId}`);
  for (const [name, p] of Object.entries(s.parts)) {
    if (!p) continue;
    console.log(`  ${name} (${p.provider}): ${p.path}`);
    console.log(`    in:  ${p.inputs.join('; ')}`);
    console.log(`    out: ${p.outputs.join('; ')}`);
  }
}
