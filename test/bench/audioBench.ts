/**
 * `npm run bench` / `npm run bench:audio`: image -> audio speed (real-time factor = seconds of audio
 * per second of wall time) and quality (mel spectral convergence of the result against the image),
 * mono and stereo, on the machine it runs on. A 60 s stereo image is converted in a child process
 * to report peak resident memory. Figures go to docs/performance.md by hand, with the machine.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { imageToAudio } from '../../engine/convert/imageToAudio.js';
import { spectrogramParamsOf } from '../../engine/convert/spectrogramParamsOf.js';
import { MelAnalyzer } from '../../engine/dsp/melSpectrogram.js';
import { spectralConvergence } from '../../engine/dsp/spectralConvergence.js';
import { type PngImage, readPng } from '../../engine/io/png.js';
import { ReconstructionPool } from '../../engine/reconstruct/reconstructionPool.js';
import { imageToSpectrogram } from '../../engine/spectrogram/image.js';

const fixture = (p: string) => fileURLToPath(new URL(`../../../test/fixtures/${p}`, import.meta.url));
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 9));

function crop(image: PngImage, width: number): PngImage {
  const rgb = new Uint8Array(width * image.height * 3);
  for (let y = 0; y < image.height; y++) rgb.set(image.rgb.subarray(y * image.width * 3, (y * image.width + width) * 3), y * width * 3);
  return { ...image, width, rgb };
}

function tile(image: PngImage, width: number): PngImage {
  const rgb = new Uint8Array(width * image.height * 3);
  for (let y = 0; y < image.height; y++) for (let x = 0; x < width; x++) {
    const s = (y * image.width + (x % image.width)) * 3;
    rgb.set(image.rgb.subarray(s, s + 3), (y * width + x) * 3);
  }
  return { ...image, width, rgb };
}

async function measure(label: string, file: string, image: PngImage, pool: ReconstructionPool, iterations?: number) {
  const params = spectrogramParamsOf(image, file);
  const channels = params.stereo ? 'gb' : 'r';
  const times: number[] = [];
  let audio: Float32Array[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const decoded = r === 0 ? image : readPng(file); // decode time counts from the second run on
    audio = await imageToAudio(file.endsWith('clip_2_stereo.png') ? crop(decoded, image.width) : decoded, params, pool, { iterations });
    times.push((performance.now() - t0) / 1000);
  }
  const seconds = audio[0]!.length / params.sampleRate;
  const mel = imageToSpectrogram(image, { channels, powerForImage: params.powerForImage });
  const analyzer = new MelAnalyzer(params);
  const sc = audio.map((a, c) => {
    const m = analyzer.analyze(a);
    return spectralConvergence(mel[c]!, image.width, m.data, m.numFrames, params.numFrequencies, Math.min(image.width, m.numFrames));
  });
  const warm = times.slice(2).sort((a, b) => a - b); // runs 1-2 warm up the JIT and the workers
  const median = warm[Math.floor(warm.length / 2)]!;
  console.log(`${label.padEnd(34)} ${audio.length}ch ${seconds.toFixed(2)} s audio | first ${times[0]!.toFixed(3)} s | median ${median.toFixed(3)} s = ${(seconds / median).toFixed(1)}x real time (best ${(seconds / warm[0]!).toFixed(1)}x) | SC ${sc.map((v) => v.toFixed(4)).join(' / ')}`);
}

async function main() {
  if (process.argv[2] === '--memory') return memoryChild();
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, Node ${process.version}; ${runs} runs each: first = cold, median of runs 3..${runs}; times include PNG decoding`);
  const t0 = performance.now();
  const pool = new ReconstructionPool();
  console.log(`reconstruction pool: ${pool.threads} worker threads`);
  try {
    const ogBeat = fixture('riffusion/seed_images/og_beat.png');
    const stereo = fixture('riffusion/tired_traveler/clip_2_stereo.png');
    const stereo512 = crop(readPng(stereo), 512);
    for (const iterations of [undefined, 2, 4, 8]) {
      const tag = iterations === undefined ? 'default (3 it.)' : `${iterations} it.`;
      await measure(`og_beat mono 512 col, ${tag}`, ogBeat, readPng(ogBeat), pool, iterations);
      await measure(`clip_2 stereo 512 col, ${tag}`, stereo, stereo512, pool, iterations);
    }
  } finally {
    await pool.dispose();
  }
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--memory'], { encoding: 'utf8' });
  process.stdout.write(child.stdout);
  process.stderr.write(child.stderr);
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Converts a 60 s stereo image (clip_2 tiled to 6000 columns) and reports peak RSS. */
async function memoryChild() {
  const file = fixture('riffusion/tired_traveler/clip_2_stereo.png');
  const image = tile(readPng(file), 6000);
  const params = spectrogramParamsOf(image, file);
  const pool = new ReconstructionPool();
  const t0 = performance.now();
  const audio = await imageToAudio(image, params, pool);
  const s = (performance.now() - t0) / 1000;
  await pool.dispose();
  const seconds = audio[0]!.length / params.sampleRate;
  console.log(`60 s stereo image (6000 col): ${s.toFixed(2)} s = ${(seconds / s).toFixed(1)}x real time, peak RSS ${peakRssMb().toFixed(0)} MB`);
}

/**
 * Peak resident memory of this process, worker threads included. Linux's VmHWM, because
 * getrusage's maxrss survives fork + exec and would report the parent bench's peak.
 */
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

await main();
