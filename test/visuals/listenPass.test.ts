import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';

const ENTRY = fileURLToPath(new URL('./listenPassPage.ts', import.meta.url));
const W = 200, H = 64;

/** A listen event of `count` columns from `first`: column c's top half is c % 250, its bottom half 255 - that. */
function event(first: number, count: number) {
  const bytes = new Uint8Array(count * 512);
  for (let i = 0; i < count; i++) {
    const v = (first + i) % 250;
    bytes.fill(v, i * 512, i * 512 + 256);
    bytes.fill(255 - v, i * 512 + 256, (i + 1) * 512);
  }
  return { firstColumn: first, count, height: 512, columns: Buffer.from(bytes).toString('base64') };
}

describe('ListenPass in Chromium (WebGL on SwiftShader)', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    const bundle = await build({ entryPoints: [ENTRY], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 300, height: 100 }, deviceScaleFactor: 1 });
    await page.setContent('<!doctype html><body style="margin:0"></body>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws the newest column at the right edge, one column per pixel, high frequencies on top, across the ring\'s seam', async () => {
    // 300 columns into a 256-column ring: the 200 shown (100..299) wrap around its end
    for (let first = 0; first < 300; first += 4) await page.evaluate((e) => (window as unknown as { listen: { add(e: unknown): void } }).listen.add(e), event(first, 4));
    const rgba = await page.evaluate(() => (window as unknown as { listen: { draw(): number[] } }).listen.draw());
    const at = (x: number, yFromTop: number) => rgba[((H - 1 - yFromTop) * W + x) * 4]!;
    expect(at(W - 1, 5)).toBe(299 % 250); // the newest column, top half
    expect(at(0, 5)).toBe(100); // the oldest shown
    for (const x of [0, 50, 155, 156, 157, 199]) {
      const column = 100 + x;
      expect(at(x, 5), `x ${x}`).toBe(column % 250);
      expect(at(x, H - 5), `x ${x}`).toBe(255 - (column % 250)); // low frequencies at the bottom
    }
    expect(await page.evaluate(() => (window as unknown as { listen: { glError(): number } }).listen.glError())).toBe(0);
  });

  it('releases its texture (the full-screen triangle is shared by every pass of the context)', async () => {
    const [textures, buffers, texturesAfter, buffersAfter] = await page.evaluate(() => (window as unknown as { listen: { destroy(): number[] } }).listen.destroy());
    expect(texturesAfter).toBe(textures! - 1);
    expect(buffersAfter).toBe(buffers!);
    expect(await page.evaluate(() => (window as unknown as { listen: { glError(): number } }).listen.glError())).toBe(0);
  });
});
