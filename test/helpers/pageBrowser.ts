import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { type WebShow, startWebShow } from './webShow.js';

/**
 * Pages of the show's web port in one headless Chromium per test file: `webShow` starts a show
 * (disposed after the test), `open` a fresh browser context on a URL (its own storage; a phone's
 * viewport) and waits until the page says it is live. A page error fails the test.
 */
export function usePageBrowser() {
  let browser: Browser;
  const cleanup: Array<() => unknown> = [];
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => { await browser?.close(); });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  return {
    async webShow(options: Parameters<typeof startWebShow>[0] = {}): Promise<WebShow> {
      const s = await startWebShow(options);
      cleanup.push(() => s.dispose());
      return s;
    },
    async open(url: string, { live = true } = {}): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
      cleanup.push(() => context.close());
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      cleanup.push(() => expect(errors).toEqual([]));
      await page.goto(url);
      if (live) await until(page, () => text(page, '[data-readout="connection"]'), (t) => t === 'live');
      return page;
    },
    cleanup,
  };
}

/** The text of the first match, '' when there is none (never waits: `until` does the waiting). */
export async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).allTextContents())[0] ?? '';
}

/** Polls `read` until `ok` holds (default 5 s: the machine is shared and loaded). */
export async function until<T>(page: Page, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out; last value: ${JSON.stringify(last)}`);
    await page.waitForTimeout(50);
    last = await read();
  }
  return last;
}
