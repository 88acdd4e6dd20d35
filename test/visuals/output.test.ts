import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { openOutputPage } from '../helpers/outputPage.js';
import type { OutputPage } from '../../visuals/pages/outputPage.js';
import type { Effect } from '../../visuals/effects/registry.js';
import { PLAYHEAD_X, SPAN_SECONDS } from '../../visuals/render/viewWindow.js';
import { defaultVisuals } from '../../control/protocol/visualState.js';

declare const window: { synesthete: { page: OutputPage; effects: readonly Effect[] }; stateWith: unknown };
/** in the page: a show state with these visual settings (bar lines off, so they cover no pixel read) */
declare function stateWith(visuals: { look?: string; blackout?: boolean; effects?: Record<string, number | string> }): unknown;

const WIDTH = 320;
const HEIGHT = 80;
const RATE = 44100;
/** segment length: 5.12 s, Riffusion's */
const FRAMES = 225_792;
/** output frames per screen pixel in the timeline look at speed 1 */
const FRAMES_PER_PX = (SPAN_SECONDS * RATE) / WIDTH;
const PLAYHEAD_PX = Math.round(PLAYHEAD_X * WIDTH);
/** one video frame at 60 Hz, in output frames */
const VIDEO_FRAME = RATE / 60;

/**
 * Synthetic sound-pictures, 256 × 64: red is the column (0–255), green tells the segments apart
 * (60 for segment 1, 200 for segment 2), so a pixel read back says which column of which segment
 * is on screen. Segment 1 starts at frame 0, segment 2 is planned right after it.
 */
async function twoSegments(page: Page): Promise<void> {
  await page.evaluate(({ frames }) => {
    const p = window.synesthete.page;
    p.stop();
    for (const [id, green] of [[1, 60], [2, 200]] as const) {
      const data = new Uint8Array(256 * 64 * 4);
      for (let y = 0; y < 64; y++) for (let x = 0; x < 256; x++) data.set([x, green, 0, 255], (y * 256 + x) * 4);
      p.picture(id, { width: 256, height: 64, data });
    }
    p.timeline.ready(1, frames, 0);
    p.timeline.started(1, 0);
    p.timeline.ready(2, frames, frames);
  }, { frames: FRAMES });
}

/** Draws the frame heard at `frame` and reads pixels (x from the left) on the middle row. */
async function drawAndRead(page: Page, frame: number, xs: readonly number[]): Promise<Array<[number, number, number, number]>> {
  return page.evaluate(({ frame, xs, height }) => {
    const p = window.synesthete.page;
    p.drawAt(frame);
    return xs.map((x) => p.renderer.read(x, Math.floor(height / 2)));
  }, { frame, xs, height: HEIGHT });
}

/** The picture column (0–255) heard at `frame` in segment 1's loop or segment 2. */
const columnOf = (frame: number) => (((frame % FRAMES) + FRAMES) % FRAMES) / FRAMES * 256;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await openOutputPage(browser, { width: WIDTH, height: HEIGHT });
  await twoSegments(page);
  await page.evaluate((defaults) => {
    window.stateWith = (v: { look?: string; blackout?: boolean; effects?: Record<string, number | string> }) => ({
      frame: 0, instant: { gain: 1, filter: 0, freeze: false },
      transport: { bpm: 120, beatsPerBar: 4, bar: 1, beat: 1, phase: 0, clockSource: 'internal', quantize: 'bar' },
      visuals: { look: v.look ?? 'timeline', blackout: v.blackout ?? false, effects: { ...defaults.effects, bars: 0, ...v.effects } },
    });
  }, defaultVisuals());
});

afterAll(async () => {
  await browser?.close();
});

describe('the projector page in Chromium (WebGL on SwiftShader)', () => {
  it('compiles every registered effect alone with no GL error', async () => {
    const results = await page.evaluate(() => {
      const s = window.synesthete;
      const gl = (s.page.renderer.regl as unknown as { _gl: WebGLRenderingContext })._gl;
      const out = s.effects.map((effect) => {
        const failed = s.page.setEffects([effect]);
        s.page.drawAt(1000);
        return { name: effect.name, failed, error: gl.getError() };
      });
      s.page.setEffects(s.effects);
      return out;
    });
    expect(results.length).toBeGreaterThanOrEqual(10);
    for (const r of results) expect(r, r.name).toEqual({ name: r.name, failed: null, error: 0 });
  });

  it('every effect input changes the picture when moved from its default', async () => {
    // on a beat (120 BPM: a beat every 22050 frames), so the pulse and strobe are on
    const heard = 3 * 22_050 + 100;
    // 16, 36, 56: where beat lines fall (a beat is 20 px at this width)
    const xs = [5, 16, 36, 45, 56, 85, 125, 165, 205, 245, 285];
    const reset = () => page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({}) } as never));
    await reset();
    const plain = await drawAndRead(page, heard, xs);
    const changes: Array<[string, number | string]> = [
      ['saturation', 0], ['colormap', 'fire'], ['brightness', 0.5], ['contrast', 0], ['zoom', 4], ['speed', 3],
      ['mirror', 'horizontal'], ['kaleidoscope', 6], ['pulse', 1], ['strobe', 1], ['bars', 1],
    ];
    for (const [name, value] of changes) {
      await page.evaluate(([n, v]) => window.synesthete.page.message({ type: 'state', state: stateWith({ effects: { [n]: v } }) } as never), [name, value] as const);
      expect(await drawAndRead(page, heard, xs), `visual.${name} ${value}`).not.toEqual(plain);
    }
    // trails: the frame before stays where the new one is darker
    await reset();
    await drawAndRead(page, heard, xs);
    const moved = await drawAndRead(page, heard + 100_000, xs);
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({ effects: { trails: 0.9 } }) } as never));
    await drawAndRead(page, heard, xs);
    expect(await drawAndRead(page, heard + 100_000, xs), 'visual.trails 0.9').not.toEqual(moved);
    await reset();
  });

  it('shows the column being heard under the playhead, and the segment rendered ahead to its right', async () => {
    for (const heard of [50_000, 180_000, 300_000]) {
      const xs = [PLAYHEAD_PX + 4, PLAYHEAD_PX + 40, PLAYHEAD_PX - 40];
      const pixels = await drawAndRead(page, heard, xs);
      xs.forEach((x, i) => {
        const frame = heard + (x + 0.5 - PLAYHEAD_X * WIDTH) * FRAMES_PER_PX;
        // within 2 px and one video frame, as columns of the 256-column picture
        const tolerance = ((2 * FRAMES_PER_PX + VIDEO_FRAME) / FRAMES) * 256;
        const [r, g] = pixels[i]!;
        expect(g, `segment at x=${x}, heard ${heard}`).toBe(frame < FRAMES ? 60 : 200);
        expect(Math.abs(r - columnOf(frame)), `column at x=${x}, heard ${heard}: got ${r}, expected ${columnOf(frame).toFixed(1)}`).toBeLessThanOrEqual(tolerance);
      });
    }
  });

  it('in the frame look, the whole picture heard now fills the screen and the playhead is at the column heard', async () => {
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({ look: 'frame' }) } as never));
    const heard = 100_000;
    const pixels = await drawAndRead(page, heard, [10, 200, 310]);
    expect(pixels.map(([r, g]) => [Math.round(r / 4), g])).toEqual([[Math.round(8 / 4), 60], [Math.round(160 / 4), 60], [Math.round(248 / 4), 60]]);
    const playhead = Math.round((columnOf(heard) / 256) * WIDTH);
    const [line] = await drawAndRead(page, heard, [playhead]);
    expect(line![2], 'the playhead line is drawn (white over a picture with no blue)').toBeGreaterThan(150);
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({}) } as never));
  });

  it('the terrain look lays the timeline down as a height map, with no GL error', async () => {
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({ look: 'terrain' }) } as never));
    const result = await page.evaluate(({ width, height }) => {
      const p = window.synesthete.page;
      p.drawAt(200_000);
      const gl = (p.renderer.regl as unknown as { _gl: WebGLRenderingContext })._gl;
      const lit: number[][] = [];
      for (let y = 0; y < height; y += 4) for (let x = 0; x < width; x += 8) {
        const [r, g, b] = p.renderer.read(x, y);
        if (r + g + b > 0) lit.push([x, y, r, g, b]);
      }
      return { error: gl.getError(), lit };
    }, { width: WIDTH, height: HEIGHT });
    expect(result.error).toBe(0);
    // part of the screen shows the ground, part the dark above it
    expect(result.lit.length).toBeGreaterThan(20);
    expect(result.lit.length).toBeLessThan((WIDTH / 8) * (HEIGHT / 4));
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({}) } as never));
  });

  it('the listen look shows the music coming in, the newest columns at the right edge', async () => {
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({ look: 'listen' }) } as never));
    const silent = await drawAndRead(page, 50_000, [WIDTH - 1]);
    // 40 loud columns (0: loudest in a sound-picture) arrive as a listen event
    const columns = Buffer.alloc(40 * 512, 0).toString('base64');
    await page.evaluate((columns) => window.synesthete.page.message({ type: 'event', event: { type: 'listen', firstColumn: 0, count: 40, height: 512, columns } } as never), columns);
    const [edge, far] = await drawAndRead(page, 50_000, [WIDTH - 1, 0]);
    expect(edge, 'the newest column changed').not.toEqual(silent[0]);
    expect(far, 'the left edge still shows the silence before').toEqual(silent[0]);
    expect(await page.evaluate(() => (window.synesthete.page.renderer.regl as unknown as { _gl: WebGLRenderingContext })._gl.getError())).toBe(0);
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({}) } as never));
  });

  it('reconnected to a restarted show (a different show id), it forgets the old show\'s segments and pictures', async () => {
    const known = await page.evaluate(() => {
      const p = window.synesthete.page;
      p.message({ type: 'hello', role: 'control', sampleRate: 44100, presets: [], midi: false, show: 'first' } as never);
      p.message({ type: 'hello', role: 'control', sampleRate: 44100, presets: [], midi: false, show: 'first' } as never);
      const before = [p.timeline.knows(1), p.stats.pictures];
      p.message({ type: 'hello', role: 'control', sampleRate: 44100, presets: [], midi: false, show: 'second' } as never);
      return [...before, p.timeline.knows(1), p.stats.pictures];
    });
    expect(known).toEqual([true, 2, false, 0]);
    await twoSegments(page);
  });

  it('blackout is black at once, everywhere', async () => {
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({ blackout: true }) } as never));
    const pixels = await drawAndRead(page, 50_000, [0, 50, PLAYHEAD_PX, 200, WIDTH - 1]);
    expect(pixels.map(([r, g, b]) => r + g + b)).toEqual([0, 0, 0, 0, 0]);
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({}) } as never));
    const [after] = await drawAndRead(page, 50_000, [200]);
    expect(after![1]).toBe(60);
  });

  it('a shader that fails to compile keeps the last good picture and is reported', async () => {
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({ effects: { saturation: 0 } }) } as never));
    const xs = [20, 120, 220];
    const before = await drawAndRead(page, 70_000, xs);
    const failed = await page.evaluate(() => window.synesthete.page.setEffects([...window.synesthete.effects, { name: 'broken', kind: 'color', inputs: [], help: '', glsl: 'return undefinedThing;' }]));
    expect(failed).toMatch(/undefinedThing/);
    const after = await drawAndRead(page, 70_000, xs);
    expect(after).toEqual(before);
    // saturation 0 is still applied: the good chain is the one running
    for (const [r, g, b] of after) expect(Math.abs(r - g) + Math.abs(g - b)).toBeLessThanOrEqual(2);
    const errors = await page.evaluate(() => window.synesthete.page.stats.errors);
    expect(errors.at(-1)).toMatch(/^effects: the new shader does not compile, the last good one stays \(/);
    await page.evaluate(() => window.synesthete.page.message({ type: 'state', state: stateWith({}) } as never));
  });

  it('/preview is the same page at half the resolution', async () => {
    const preview = await openOutputPage(browser, { width: 200, height: 100, path: '/preview', pixelRatio: null });
    try {
      await twoSegments(preview);
      const size = await preview.evaluate(() => {
        window.synesthete.page.drawAt(50_000);
        return window.synesthete.page.renderer.size;
      });
      expect(size).toEqual({ width: 100, height: 50 });
    } finally {
      await preview.close();
    }
  });
});
