import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

const PAGES = join(import.meta.dirname, '..', '..', 'dist', 'pages');
/** a made-up origin: the page's files are served by playwright's router, no server needed */
export const OUTPUT_ORIGIN = 'http://synesthete.test';

/**
 * The projector page (dist/pages, built by `npm run build`) in a page of its own, `width` ×
 * `height` CSS pixels at pixel ratio 1 (`pixelRatio: null`: the page's own choice), with no show behind it (its socket finds nobody and keeps
 * retrying): tests drive it through `window.synesthete.page`.
 */
export async function openOutputPage(browser: Browser, options: { width: number; height: number; path?: string; pixelRatio?: number | null }): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width, height: options.height }, deviceScaleFactor: 1 });
  await page.route(`${OUTPUT_ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/output' || path === '/preview') return route.fulfill({ contentType: 'text/html', body: readFileSync(join(PAGES, 'output.html')) });
    if (path === '/assets/output.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(PAGES, 'output.js')) });
    return route.fulfill({ status: 404, body: '' });
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const ratio = options.pixelRatio === undefined ? 1 : options.pixelRatio;
  await page.goto(`${OUTPUT_ORIGIN}${options.path ?? '/output'}${ratio === null ? '' : `?pixelRatio=${ratio}`}`);
  await page.waitForFunction(() => (window as unknown as { synesthete?: unknown }).synesthete !== undefined);
  if (errors.length > 0) throw new Error(`the output page failed: ${errors[0]}`);
  return page;
}
