/**
 * `npm run bench:models -- DIR [--json] [--threads N] [--budget-s S]`: what a Stable Diffusion 1.5
 * sized model folder (real, or made by `npm run models:fullsize`) costs on this machine's CPU:
 * one text encoder pass, one UNet step at CFG batch 2 and 512x512 (latents 64x64), one VAE decode,
 * peak resident memory with one and with two models loaded (picture + audio: the same folder
 * twice), one 20-step waltz segment (picture, audio, audio) and the sampler's share outside
 * session.run. If 20 steps would take longer than --budget-s, the segment runs 3 steps (one waltz
 * cycle; the picture UNet's first, slower run included) and is extrapolated (the output says so).
 * The VAE decode is timed once (its first run). `--tune DIR16?`: instead, UNet steps at 256x256 under other
 * session settings (threads, optimisation level, memory arena; an fp16 folder if given).
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { gaussianNoise } from '../../engine/diffusion/noiseGenerator.js';
import type { Recipe } from '../../engine/diffusion/recipe.js';
import { Sampler } from '../../engine/diffusion/sampler.js';
import { decodeLatents } from '../../engine/diffusion/vae.js';
import { type DiffusionModel, loadModel } from '../../engine/models/loadModel.js';
import { type ModelSession, type SessionOptions, type Tensor, createSession } from '../../engine/ort/session.js';

const SEGMENT_STEPS = 20;
const SHORT_STEPS = 3;
/** seconds of music in a 512-pixel-wide Riffusion spectrogram (docs/sound-pictures.md) */
const SEGMENT_AUDIO_S = 5.12;

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const log = (json: boolean, line: string) => { if (!json) console.log(line); else process.stderr.write(`${line}\n`); };

/**
 * Wall time of the first run and the mean of `runs` more; also the process's CPU time per run (all
 * threads): on a machine shared with other work, wall time grows but CPU time much less.
 */
async function timeRuns(session: ModelSession, feeds: Record<string, Tensor>, runs: number): Promise<{ firstMs: number; ms: number; cpuMs: number }> {
  let t = performance.now();
  await session.run(feeds);
  const firstMs = performance.now() - t;
  if (runs === 0) return { firstMs, ms: firstMs, cpuMs: NaN };
  const cpu = process.cpuUsage();
  t = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds);
  const used = process.cpuUsage(cpu);
  return { firstMs, ms: (performance.now() - t) / runs, cpuMs: (used.user + used.system) / 1000 / runs };
}

function unetFeeds(side: number, hidden: Float32Array, width: number): Record<string, Tensor> {
  return {
    sample: { type: 'float32', data: gaussianNoise(7, 2 * 4 * side * side), dims: [2, 4, side, side] },
    timestep: { type: 'int64', data: BigInt64Array.of(500n, 500n), dims: [2] },
    encoder_hidden_states: { type: 'float32', data: hidden, dims: [2, 77, width] },
  };
}

function textFeeds(model: DiffusionModel, prompt: string): Record<string, Tensor> {
  return { input_ids: { type: 'int32', data: model.tokenizer.encodePadded(prompt), dims: [1, 77] } };
}

async function bench(dir: string, session: SessionOptions, budgetS: number, json: boolean) {
  const m = (ms: number) => Math.round(ms);
  // other processes' load, which this machine's figures depend on
  const loadStart = loadavg().map((x) => Number(x.toFixed(1)));
  let t = performance.now();
  const audio = await loadModel(dir, session);
  const loadS = (performance.now() - t) / 1000;
  log(json, `loaded ${dir} in ${loadS.toFixed(1)} s (RSS peak ${rssMb()} MB)`);

  const text = await timeRuns(audio.textEncoder, textFeeds(audio, 'steady beat'), 3);
  const hiddenOut = (await audio.textEncoder.run(textFeeds(audio, 'steady beat')))[audio.hiddenStatesOutput]!.data as Float32Array;
  const width = hiddenOut.length / 77;
  log(json, `text encoder [1, 77]: ${m(text.ms)} ms (first run ${m(text.firstMs)} ms)`);
  const hidden = new Float32Array(2 * hiddenOut.length);
  hidden.set(hiddenOut);
  hidden.set(hiddenOut, hiddenOut.length);
  const unet = await timeRuns(audio.unet, unetFeeds(64, hidden, width), 1);
  log(json, `UNet step, CFG batch 2, latents 64x64: ${m(unet.ms)} ms, CPU ${m(unet.cpuMs)} ms (first run ${m(unet.firstMs)} ms)`);
  const latent = { type: 'float32' as const, data: gaussianNoise(9, 4 * 64 * 64), dims: [1, 4, 64, 64] };
  // one run: decoding at 512x512 takes minutes on a shared 2-core machine
  const cpuVae = process.cpuUsage();
  const vae = await timeRuns(audio.vaeDecoder, { latent_sample: latent }, 0);
  const vaeCpu = process.cpuUsage(cpuVae);
  vae.cpuMs = (vaeCpu.user + vaeCpu.system) / 1000;
  log(json, `VAE decode 64x64 -> 512x512: ${m(vae.ms)} ms (first run ${m(vae.firstMs)} ms)`);
  const oneModel = rssMb();
  log(json, `peak RSS with one model loaded and run: ${oneModel} MB`);

  t = performance.now();
  const picture = await loadModel(dir, session);
  log(json, `loaded a second copy (the picture model) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const sampler = new Sampler({ audio, picture });
  const extrapolated = (unet.ms * SEGMENT_STEPS) / 1000 > budgetS;
  const steps = extrapolated ? SHORT_STEPS : SEGMENT_STEPS;
  const recipe: Recipe = {
    mode: 'alternate', scheduler: 'euler', steps, timestepSpacing: 'linspace', width: 512, height: 512, vae: 'audio',
    blocks: [
      { model: 'picture', prompt: 'beautiful princess with long hair wearing an elaborate colorful dress', guidance: 11 },
      { model: 'audio', prompt: 'steady beat', guidance: 7 },
      { model: 'audio', prompt: 'steady beat', guidance: 7 },
    ],
  };
  const noise = gaussianNoise(293918, 4 * 64 * 64);
  log(json, `${extrapolated ? `${SEGMENT_STEPS} steps would take about ${(unet.ms * SEGMENT_STEPS / 1000).toFixed(0)} s (over --budget-s ${budgetS}): timing ${SHORT_STEPS} steps and extrapolating` : `running the ${SEGMENT_STEPS}-step segment`}`);
  t = performance.now();
  const result = await sampler.sample({ recipe, noise, onStep: (s, n) => log(json, `  step ${s}/${n} at ${((performance.now() - t) / 1000).toFixed(1)} s`) });
  // the sampler's loop timing starts after the prompts are encoded (once per prompt, then cached)
  const promptMs = performance.now() - t - result.timing.loopMs;
  const decodeStart = performance.now();
  await decodeLatents(audio, result.latent);
  const decodeMs = performance.now() - decodeStart;
  const loopMsPerStep = result.timing.loopMs / steps;
  const segmentS = (loopMsPerStep * SEGMENT_STEPS + decodeMs) / 1000;
  const outsideShare = (result.timing.loopMs - result.timing.unetMs) / result.timing.loopMs;
  const twoModels = rssMb();
  await picture.dispose();
  await audio.dispose();
  return {
    machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, Node ${process.version}`,
    threads: session.threads ?? 0,
    memoryArena: session.memoryArena !== false,
    loadSeconds: Number(loadS.toFixed(1)),
    loadAverage: { start: loadStart, end: loadavg().map((x) => Number(x.toFixed(1))) },
    textEncoder: { ms: m(text.ms), firstMs: m(text.firstMs), cpuMs: m(text.cpuMs) },
    unet: { msPerStep: m(unet.ms), firstMs: m(unet.firstMs), cpuMsPerStep: m(unet.cpuMs), batch: 2, latent: [64, 64] },
    vaeDecoder: { ms: m(vae.ms), firstMs: m(vae.firstMs), cpuMs: m(vae.cpuMs) },
    segment: {
      steps: SEGMENT_STEPS, seconds: Number(segmentS.toFixed(1)), measuredSteps: steps, extrapolated,
      msPerStep: m(loopMsPerStep), decodeMs: m(decodeMs), promptEncodingMs: m(promptMs), audioSeconds: SEGMENT_AUDIO_S,
      // seconds of audio per second of work, as elsewhere in docs/performance.md (>= 1 keeps up)
      realTimeFactor: Number((SEGMENT_AUDIO_S / segmentS).toFixed(4)),
    },
    samplerOutsideRunShare: Number(outsideShare.toFixed(5)),
    peakRssMb: { oneModel, twoModels },
  };
}

/** UNet steps at latents 32x32 (256x256), CFG batch 2, under each session setting. */
async function tune(dir: string, fp16Dir: string | undefined, json: boolean) {
  const settings: { label: string; dir: string; options: SessionOptions }[] = [
    { label: 'default (threads 0 = ORT default, optimisation all, arena on)', dir, options: {} },
    { label: 'threads 1', dir, options: { threads: 1 } },
    { label: 'optimisation basic', dir, options: { graphOptimizationLevel: 'basic' } },
    { label: 'memory arena and pattern off', dir, options: { memoryArena: false } },
    ...(fp16Dir ? [{ label: 'fp16 weights and arithmetic', dir: fp16Dir, options: {} }] : []),
  ];
  const rows = [];
  for (const s of settings) {
    const t = performance.now();
    const session = await createSession(join(s.dir, 'unet', 'model.onnx'), s.options);
    const loadS = (performance.now() - t) / 1000;
    const width = Number(session.inputs.find((i) => i.name === 'encoder_hidden_states')!.shape[2]);
    const r = await timeRuns(session, unetFeeds(32, gaussianNoise(3, 2 * 77 * width), width), 1);
    await session.dispose();
    rows.push({ setting: s.label, loadS: Number(loadS.toFixed(1)), msPerStep: Math.round(r.ms), cpuMsPerStep: Math.round(r.cpuMs), firstMs: Math.round(r.firstMs), loadAverage: loadavg()[0]!.toFixed(1) });
    log(json, `${s.label}: ${Math.round(r.ms)} ms per step at 32x32, CPU ${Math.round(r.cpuMs)} ms (first ${Math.round(r.firstMs)} ms, load ${loadS.toFixed(1)} s, load average ${loadavg()[0]!.toFixed(1)})`);
  }
  return { machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, Node ${process.version}`, latent: [32, 32], batch: 2, rows };
}

const program = new Command()
  .name('bench:models')
  .argument('<dir>', 'a Stable Diffusion 1.x model folder (e.g. from npm run models:fullsize)')
  .option('--json', 'print one JSON object (progress goes to stderr)')
  .option('--threads <n>', 'onnxruntime intra-op threads (0 = its default)', '0')
  .option('--no-arena', 'onnxruntime memory arena and pattern off (activation memory goes back after each run)')
  .option('--budget-s <s>', 'longest a 20-step segment may run before it is extrapolated from 3 steps', '600')
  .option('--tune [fp16Dir]', 'compare session settings (and an fp16 folder) on UNet steps at 256x256 instead')
  .action(async (dir: string, opts: { json?: boolean; threads: string; arena: boolean; budgetS: string; tune?: string | boolean }) => {
    const json = opts.json === true;
    const result = opts.tune
      ? await tune(dir, typeof opts.tune === 'string' ? opts.tune : undefined, json)
      : await bench(dir, { threads: Number(opts.threads), ...(opts.arena ? {} : { memoryArena: false }) }, Number(opts.budgetS), json);
    console.log(json ? JSON.stringify(result) : JSON.stringify(result, null, 1));
  });

await program.parseAsync();
