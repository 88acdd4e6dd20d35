/**
 * `npm run bench:visuals`: the projector page on a playing show (imprint source, real time, the
 * web port on 127.0.0.1) in headless Chromium, WebGL on SwiftShader unless the browser finds a GPU.
 * Measures, over the run:
 * - sync: the frame the page shows (predicted for the moment its frame reaches the screen)
 *   against the frame the engine hears at that moment, read from the engine directly every few
 *   ms in this process (both sides on the machine's wall clock); the reference at a moment is
 *   the median of the engine's samples within ±20 ms of it, each moved to that moment at the
 *   sample rate (the engine's heard frame wobbles a little, and a loaded machine plays its
 *   real-time WAV unevenly, so no single straight line fits a whole run);
 * - frame times (the CPU time of one frame's draw calls; SwiftShader does the GPU work there),
 *   frames drawn per second and skipped display refreshes.
 * Options: --seconds N (60), --width W --height H (1920×1080), --preview. Figures go to
 * docs/performance.md by hand, with the machine.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { launchChromium } from '../helpers/chromium.js';
import { startWebShow } from '../helpers/webShow.js';
import type { OutputStats } from '../../visuals/pages/outputPage.js';

declare const window: { synestheteStats: OutputStats; synesthete: { page: { trace: number[] } } };

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const seconds = option('seconds', 60);
const width = option('width', 1920);
const height = option('height', 1080);
const preview = process.argv.includes('--preview');

// the wall clock, as the page's trace: each process's performance.timeOrigin is its own
// monotonic clock pinned to the wall clock at start, and on a VM those can differ by seconds
const now = () => Date.now();
const web = await startWebShow({ mode: 'realtime' });
const running = web.show.run(seconds + 30);
const samples: Array<[number, number]> = [];
const sampler = setInterval(() => samples.push([now(), web.show.engine.clock().frame]), 2);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  await page.goto(`${web.base}/${preview ? 'preview' : 'output'}?pixelRatio=1&trace`);
  await page.waitForFunction(() => window.synestheteStats?.segmentId !== null && window.synestheteStats?.frames > 0, undefined, { timeout: 60_000 });
  // measure from a steady state: the first picture is up and the prediction has settled
  await new Promise((r) => setTimeout(r, 3000));
  const start = await page.evaluate(() => ({ stats: { ...window.synestheteStats }, traced: window.synesthete.page.trace.length }));
  // the reference line from the run only (before the show plays, its clock stands at 0)
  samples.length = 0;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const end = await page.evaluate(() => ({ stats: { ...window.synestheteStats }, trace: window.synesthete.page.trace }));
  clearInterval(sampler);
  const sampleRate = web.show.engine.clock().sampleRate;

  // the engine's heard frame against the wall clock: the least-squares line
  const n = samples.length;
  const mt = samples.reduce((s, [t]) => s + t, 0) / n;
  const mf = samples.reduce((s, [, f]) => s + f, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [t, f] of samples) {
    sxy += (t - mt) * (f - mf);
    sxx += (t - mt) ** 2;
  }
  const slope = sxy / sxx;
  const line = (t: number) => mf + slope * (t - mt);
  const wobble = samples.map(([t, f]) => Math.abs(f - line(t))).sort((a, b) => a - b);
  const perMs = sampleRate / 1000;
  let from = 0;
  const truth = (t: number) => {
    while (from < n && samples[from]![0] < t - 20) from++;
    const near: number[] = [];
    for (let i = from; i < n && samples[i]![0] <= t + 20; i++) near.push(samples[i]![1] + (t - samples[i]![0]) * perMs);
    near.sort((a, b) => a - b);
    return near.length === 0 ? null : near[near.length >> 1]!;
  };

  const errorsMs: number[] = [];
  for (let i = start.traced; i + 1 < end.trace.length; i += 2) {
    const t = end.trace[i]!;
    const heard = truth(t);
    if (heard === null) continue;
    errorsMs.push(((end.trace[i + 1]! - heard) / sampleRate) * 1000);
  }
  const abs = errorsMs.map(Math.abs).sort((a, b) => a - b);
  const pct = (p: number) => abs[Math.min(abs.length - 1, Math.floor(p * (abs.length - 1)))] ?? null;
  const frames = end.stats.frames - start.stats.frames;
  const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  console.log(JSON.stringify({
    machine: { cpu: cpus()[0]?.model, cores: availableParallelism(), node: process.version, loadavg: loadavg().map((l) => round(l)) },
    page: preview ? '/preview' : '/output', width, height, seconds,
    renderer: await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return info ? gl!.getParameter(info.UNMASKED_RENDERER_WEBGL) : 'unknown';
    }),
    sync: {
      framesCompared: abs.length,
      meanErrorMs: round(errorsMs.reduce((s, e) => s + e, 0) / Math.max(1, errorsMs.length)),
      medianAbsErrorMs: round(pct(0.5)), p95AbsErrorMs: round(pct(0.95)), maxAbsErrorMs: round(pct(1)),
      withinOneVideoFrame: round(abs.filter((e) => e <= 1000 / 60).length / Math.max(1, abs.length)),
      audioFramesPerSecond: Math.round(slope * 1000),
      /** how far the engine's clock strays from one straight line over the run (95th percentile) */
      engineClockOffLineP95Ms: round((wobble[Math.floor(0.95 * (n - 1))]! / sampleRate) * 1000),
    },
    frames: {
      drawn: frames, perSecond: round(frames / seconds), skipped: end.stats.skipped - start.stats.skipped,
      refreshMs: round(end.stats.refreshMs), drawMeanMs: round(end.stats.drawMeanMs), drawMaxMs: round(end.stats.drawMaxMs),
    },
    connections: end.stats.connections, errors: end.stats.errors,
  }, null, 2));
} finally {
  clearInterval(sampler);
  await browser.close();
  web.show.engine.stop();
  await running;
  await web.dispose();
}
