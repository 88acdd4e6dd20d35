/**
 * `npm run bench:gpu [-- --tiny | --model DIR] [--provider P] [--steps N] [--size PX] [--repeats N] [--loop device|host] [--json FILE]`:
 * one 20-step CFG segment at 512x512 on a GPU provider (WebGPU by default), with the latents kept on
 * the device: ms per UNet step, the segment's time and real-time factor, the VAE decode, the
 * transfers between CPU and device, and which provider ran each graph node.
 *
 * Models: `--model DIR` an existing folder; `--tiny` the tiny test models (rehearsal, any machine
 * with a Vulkan driver Dawn accepts, lavapipe included); by default the fp16 full-size SD 1.5
 * folder made on the spot with `npm run models:fullsize -- DIR --fp16` (the script is read from
 * package.json and run with this Node, so no npm is needed on the GPU machine). See docs/gpu.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gaussianNoise } from '../../engine/diffusion/noiseGenerator.js';
import type { Recipe } from '../../engine/diffusion/recipe.js';
import { PromptEncoder } from '../../engine/diffusion/promptEncoder.js';
import { Sampler } from '../../engine/diffusion/sampler.js';
import { decodeLatents } from '../../engine/diffusion/vae.js';
import { writeTaesdFolder } from '../../engine/models/taesd/writeTaesdFolder.js';
import { inspectVaeFolder } from '../../engine/models/vaeFolder.js';
import { type DiffusionModel, loadModel } from '../../engine/models/loadModel.js';
import { readNodePlacement, placementSummary } from '../../engine/ort/nodePlacement.js';
import { EXECUTION_PROVIDERS, type ExecutionProvider, type ModelSession, createSession } from '../../engine/ort/session.js';
import { TransferMeter } from '../../engine/ort/transferMeter.js';
import { resolveParams } from '../../engine/spectrogram/params.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const USAGE = `usage: npm run bench:gpu -- [--tiny | --model DIR] [--provider webgpu|cuda|cpu] [--steps 20] [--size 512] [--repeats 3]
                         [--loop device|host] [--json FILE]
  --tiny        the tiny test models (rehearsal; any Vulkan driver Dawn accepts, lavapipe included)
  --model DIR   an existing model folder (default: make the fp16 full-size SD 1.5 folder with models:fullsize)
  --provider    execution provider (default webgpu)
  --steps N     denoising steps of the segment (default 20); --size PX picture side (default 512, tiny 64)
  --repeats N   timed segments after the warm-up; the median is reported (default 3)
  --loop        device (latents kept on the GPU, default) or host (every step back on the CPU)
  --no-few-steps  leave out the few-step segment (LCM 4 steps at guidance 1 + a random-weight TAESD decoder)
  --json FILE   the full report, with the provider of every node
See docs/gpu.md.`;

function parse() {
  try {
    return parseArgs({ allowNegative: true, options: {
      help: { type: 'boolean', default: false },
      tiny: { type: 'boolean', default: false },
      model: { type: 'string' },
      provider: { type: 'string', default: 'webgpu' },
      steps: { type: 'string', default: '20' },
      size: { type: 'string' },
      repeats: { type: 'string', default: '3' },
      json: { type: 'string' },
      loop: { type: 'string', default: 'device' },
      'few-steps': { type: 'boolean', default: true },
    } }).values;
  } catch (e) {
    process.stderr.write(`bench:gpu: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(1);
  }
}
const args = parse();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

/** Runs a package.json script with this Node (no npm needed), as `npm run NAME -- ...args` would. */
function runScript(name: string, scriptArgs: string[]): void {
  const scripts = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[name];
  if (!script) throw new Error(`package.json has no "${name}" script (it comes with the full-size model generator)`);
  const command = script.replace(/^npm run build && /, '').trim();
  const match = /^node (\S+)(.*)$/.exec(command);
  if (!match) throw new Error(`"${name}" is not a plain "node FILE" script: ${script}`);
  const extra = match[2]!.trim() ? match[2]!.trim().split(/\s+/) : [];
  execFileSync(process.execPath, [join(REPO, match[1]!), ...extra, ...scriptArgs], { stdio: 'inherit', cwd: REPO });
}

const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function placement(session: ModelSession) {
  const trace = session.endProfiling();
  if (!trace) return undefined;
  const p = readNodePlacement(trace);
  return {
    summary: placementSummary(p), nodesByProvider: p.nodesByProvider, computeFallbacks: p.computeFallbacks, shapeNodesOnCpu: p.shapeNodesOnCpu, memcpy: p.memcpy,
    perNode: p.nodes.map((n) => `${n.provider.replace('ExecutionProvider', '')} ${n.op} ${n.name}`),
  };
}

/** One spectrogram column per hop: a 512-wide picture is 5.12 s of audio. */
function audioSecondsOf(width: number): number {
  return (width * resolveParams({ numFrequencies: width }).stepSizeMs) / 1000;
}

/** The few-step path on the same UNet: LCM 4 steps at guidance 1 (batch 1), decoded by a random-weight TAESD. */
async function measureFewSteps(model: DiffusionModel, sampler: Sampler, size: number, noise: Float32Array, repeats: number,
  provider: ExecutionProvider, work: string, audioSeconds: number) {
  const steps = 4;
  const recipe: Recipe = { mode: 'alternate', scheduler: 'lcm', steps, width: size, height: size, blocks: [{ model: 'audio', prompt: 'steady beat with piano', guidance: 1 }] };
  const dir = join(work, 'taesd');
  writeTaesdFolder(dir);
  const folder = inspectVaeFolder(dir);
  const session = await createSession(folder.decoder, { provider, meter: model.unet.meter });
  const taesd = { session, scalingFactor: folder.scalingFactor, outputRange: folder.outputRange };
  try {
    await decodeLatents(taesd, (await sampler.sample({ recipe, noise })).latent); // warm-up: batch-1 shapes, TAESD shaders
    const loops: number[] = [], decodes: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const result = await sampler.sample({ recipe, noise });
      loops.push(result.timing.loopMs);
      const t = now();
      await decodeLatents(taesd, result.latent);
      decodes.push(now() - t);
    }
    const loopMs = median(loops), taesdMs = median(decodes);
    const segmentSeconds = (loopMs + taesdMs) / 1000;
    return { steps, msPerStep: loopMs / steps, taesdMs, segmentSeconds, realTimeFactor: audioSeconds / segmentSeconds, provider: session.provider };
  } finally {
    await session.dispose();
  }
}

async function main() {
  const provider = args.provider as ExecutionProvider;
  if (!EXECUTION_PROVIDERS.includes(provider)) throw new Error(`--provider ${provider}: expected one of ${EXECUTION_PROVIDERS.join(', ')}`);
  const steps = Number(args.steps);
  const repeats = Number(args.repeats);
  const size = Number(args.size ?? (args.tiny ? 64 : 512));
  const work = mkdtempSync(join(tmpdir(), 'synesthete-gpu-bench-'));
  try {
    let dir = args.model;
    let generateMs: number | undefined;
    if (args.tiny) dir = join(REPO, 'test', 'fixtures', 'tiny-sd', 'audio');
    if (!dir) {
      dir = join(work, 'sd15-fp16');
      const t = now();
      runScript('models:fullsize', [dir, '--fp16']);
      generateMs = now() - t;
    }
    if (!existsSync(dir)) throw new Error(`${dir}: model folder not found`);
    const warnings: string[] = [];
    const meter = new TransferMeter();
    const profileDir = join(work, 'profile');
    mkdirSync(profileDir);
    const tLoad = now();
    const model: DiffusionModel = await loadModel(dir, { provider, meter, profileDir, onWarning: (m) => warnings.push(m) });
    const loadMs = now() - tLoad;
    if (args.loop !== 'device' && args.loop !== 'host') throw new Error(`--loop ${args.loop}: expected device or host`);
    const sampler = new Sampler({ audio: model }, { deviceLoop: args.loop === 'host' ? 'never' : 'auto' });
    const recipe: Recipe = { mode: 'alternate', scheduler: 'euler', steps, width: size, height: size, blocks: [{ model: 'audio', prompt: 'steady beat with piano', guidance: 7 }] };
    const noise = gaussianNoise(1, (model.latentChannels ?? 4) * (size / 8) * (size / 8));

    // warm-up (shader compilation, allocations), profiled: where each node runs
    const tWarm = now();
    const warm = await sampler.sample({ recipe: { ...recipe, steps: 2 }, noise });
    await decodeLatents(model, warm.latent);
    const warmMs = now() - tWarm;
    const nodes = { textEncoder: await placement(model.textEncoder), unet: await placement(model.unet), vaeDecoder: await placement(model.vaeDecoder) };

    const loops: number[] = [], decodes: number[] = [];
    let last;
    for (let r = 0; r < repeats; r++) {
      last = await sampler.sample({ recipe, noise });
      loops.push(last.timing.loopMs);
      const t = now();
      await decodeLatents(model, last.latent);
      decodes.push(now() - t);
    }
    const fewSteps = args['few-steps'] ? await measureFewSteps(model, sampler, size, noise, repeats, provider, work, audioSecondsOf(size)) : undefined;
    const tText = now();
    await new PromptEncoder(model).encode('a new prompt, not cached');
    const textMs = now() - tText;
    const loopMs = median(loops), decodeMs = median(decodes);
    const audioSeconds = audioSecondsOf(size);
    const segmentSeconds = (loopMs + decodeMs) / 1000;
    const report = {
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, vulkanDriver: process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES ?? 'system' },
      model: { dir: args.tiny ? 'tiny test model' : dir, generatedInMs: generateMs, loadMs, warmUpMs: warmMs, sampleType: model.unet.inputs.find((i) => i.name === 'sample')?.type },
      provider: { requested: provider, used: { textEncoder: model.textEncoder.provider, unet: model.unet.provider, vaeDecoder: model.vaeDecoder.provider }, warnings },
      loop: { kind: last!.loop, hostReason: last!.hostReason },
      unet: { msPerStep: loopMs / steps, batch: 2, latent: `${model.latentChannels ?? 4}x${size / 8}x${size / 8}` },
      vaeDecoder: { ms: decodeMs },
      textEncoder: { ms: textMs },
      segment: { steps, seconds: segmentSeconds, audioSeconds, realTimeFactor: audioSeconds / segmentSeconds, loopsMs: loops },
      transfersPerSegment: last!.transfers,
      fewSteps,
      nodes,
    };
    // the per-node lists go to the --json file only (thousands of lines for a full-size UNet)
    if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, (key, value) => (key === 'perNode' ? `${(value as string[]).length} nodes (in --json)` : value), 2));
    console.log(`\n${provider} (${report.provider.used.unet}) ${report.loop.kind} loop: ${report.unet.msPerStep.toFixed(1)} ms per UNet step (CFG batch 2, ${size}x${size}); `
      + `${steps}-step segment ${segmentSeconds.toFixed(2)} s for ${audioSeconds.toFixed(2)} s of audio = ${report.segment.realTimeFactor.toFixed(2)}x real time; `
      + `VAE ${decodeMs.toFixed(0)} ms; per segment ${last!.transfers.uploads} uploads (${last!.transfers.uploadBytes} B), ${last!.transfers.downloads} downloads (${last!.transfers.downloadBytes} B)`);
    if (fewSteps) {
      console.log(`few steps (LCM ${fewSteps.steps} steps at guidance 1, batch 1; TAESD, random weights): ${fewSteps.msPerStep.toFixed(1)} ms per UNet step; `
        + `TAESD ${fewSteps.taesdMs.toFixed(1)} ms; segment ${fewSteps.segmentSeconds.toFixed(3)} s = ${fewSteps.realTimeFactor.toFixed(1)}x real time`);
    }
    for (const [part, p] of Object.entries(nodes)) console.log(`${part}: ${p?.summary ?? 'no trace'}`);
    await sampler.dispose();
    await model.dispose();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (e) {
  // a missing folder or generator script is one line; the run's own failures keep their cause
  process.stderr.write(`bench:gpu: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
