/**
 * `npm run bench:page`: the control page in headless Chromium on a playing show (the imprint
 * source in real time into a WAV file), PAGES pages at once (default 4):
 *
 * - `calm`: a gain change every 250 ms from another WebSocket client; time until each page shows
 *   it (the page's DOM, seen by a MutationObserver, on the same machine's clock). Goal: "within a
 *   moment" (issue 8): well under 100 ms plus the server's 33 ms state coalescing.
 * - `flood`: the same client sends 100 gain changes a second for BENCH_PAGE_SECONDS (default 10);
 *   each page's animation frames (median, p95 and longest gap: the beat light must not stutter)
 *   and how far behind the last value it shows.
 *
 * Prints one JSON object. Needs dist/ and dist/pages (npm run build) and Debian's chromium.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { pagesDir } from '../../control/ws/staticPages.js';
import { launchChromium } from '../helpers/chromium.js';
import { WsClient, startWebShow } from '../helpers/webShow.js';

const PAGES = Number(process.env.BENCH_PAGES ?? 4);
const FLOOD_SECONDS = Number(process.env.BENCH_PAGE_SECONDS ?? 10);
const machine = `${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`;

function stats(xs: number[]): { n: number; median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, median: r(q(0.5)), p95: r(q(0.95)), max: r(s.at(-1) ?? NaN) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records, inside the page, every frame's time and every gain value shown with its wall time. */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { bench: { frames: number[]; shown: [string, number][] } };
    w.bench = { frames: [], shown: [] };
    const loop = (t: number) => { w.bench.frames.push(t); requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    const value = document.querySelector('[data-param="gain"] .value')!;
    new MutationObserver(() => w.bench.shown.push([value.textContent ?? '', performance.timeOrigin + performance.now()])).observe(value, { childList: true, characterData: true, subtree: true });
  });
}

async function collect(page: Page): Promise<{ frames: number[]; shown: [string, number][] }> {
  return page.evaluate(() => {
    const w = window as unknown as { bench: { frames: number[]; shown: [string, number][] } };
    const out = { frames: w.bench.frames, shown: w.bench.shown };
    w.bench.frames = [];
    w.bench.shown = [];
    return out;
  });
}

const web = await startWebShow({ mode: 'realtime' });
const running = web.show.run(FLOOD_SECONDS + 60);
const browser = await launchChromium();
try {
  const pages: Page[] = [];
  for (let i = 0; i < PAGES; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${web.base}/`);
    await page.waitForFunction(() => document.querySelector('[data-readout="connection"]')?.textContent === 'live');
    pages.push(page);
  }
  // wait for the music: the beat light and the playhead run from the first segment on
  await pages[0]!.waitForFunction(() => (document.querySelector('[data-readout="picture"]') as HTMLImageElement).naturalWidth > 0, null, { timeout: 60_000 });
  for (const p of pages) await instrument(p);
  // the page's own cost: seconds of script and of all its tasks (layout, paint) per second
  const cdp = await Promise.all(pages.map((p) => p.context().newCDPSession(p)));
  for (const c of cdp) await c.send('Performance.enable');
  const metrics = async () => Promise.all(cdp.map(async (c) => {
    const { metrics: m } = await c.send('Performance.getMetrics');
    const get = (name: string) => m.find((x) => x.name === name)?.value ?? 0;
    return { script: get('ScriptDuration'), task: get('TaskDuration') };
  }));
  const client = await WsClient.connect(`${web.base.replace('http', 'ws')}/ws`);

  // calm: one change every 250 ms
  const sent = new Map<string, number>();
  for (let i = 1; i <= 20; i++) {
    const value = i / 1000 + 0.5;
    sent.set(String(Number(value.toFixed(3))), Date.now());
    client.send({ type: 'command', id: i, command: { type: 'gain', value } });
    await sleep(250);
  }
  const calm: number[] = [];
  for (const p of pages) {
    for (const [text, at] of (await collect(p)).shown) {
      const t = sent.get(text);
      if (t !== undefined) calm.push(at - t);
    }
  }

  // flood: 100 changes a second
  const before = await metrics();
  const floodStart = Date.now();
  const floodSent = new Map<string, number>();
  const end = Date.now() + FLOOD_SECONDS * 1000;
  let i = 0;
  // every value different (three decimals: at most 1000), so each shown value has one send time
  while (Date.now() < end && i < 1000) {
    const value = i++ / 1000;
    floodSent.set(String(Number(value.toFixed(3))), Date.now());
    client.send({ type: 'command', id: `f${i}`, command: { type: 'gain', value } });
    await sleep(10);
  }
  await sleep(500);
  const after = await metrics();
  const floodSeconds = (Date.now() - floodStart) / 1000;
  const share = (k: 'script' | 'task') => after.map((a, n) => Math.round(((a[k] - before[n]![k]) / floodSeconds) * 1000) / 10);
  const frameGaps: number[] = [];
  const behind: number[] = [];
  const fps: number[] = [];
  for (const p of pages) {
    const { frames, shown } = await collect(p);
    for (let k = 1; k < frames.length; k++) frameGaps.push(frames[k]! - frames[k - 1]!);
    fps.push(Math.round((frames.length / floodSeconds) * 10) / 10);
    for (const [text, at] of shown) {
      const t = floodSent.get(text);
      if (t !== undefined) behind.push(at - t);
    }
  }
  client.close();
  const js = readFileSync(`${pagesDir()}/control.js`);
  console.log(JSON.stringify({
    machine,
    pages: PAGES,
    bundle: { controlJsBytes: js.length, gzipBytes: gzipSync(js).length },
    calm: { commandToPageMs: stats(calm) },
    flood: { commandsSent: i, seconds: Math.round(floodSeconds * 10) / 10, framesPerSecondPerPage: fps, scriptPercentOfACorePerPage: share('script'), allTasksPercentOfACorePerPage: share('task'), frameGapMs: stats(frameGaps), commandToPageMs: stats(behind), webStats: web.web.stats },
    underruns: web.show.engine.state().counters.underruns,
  }, null, 2));
} finally {
  web.show.engine.stop();
  await running.catch(() => undefined);
  await browser.close();
  await web.dispose();
}
