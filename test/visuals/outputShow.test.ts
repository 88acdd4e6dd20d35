import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/oscTools.js';
import type { OutputStats } from '../../visuals/pages/outputPage.js';
import { launchChromium } from '../helpers/chromium.js';
import { WsClient, startWebShow } from '../helpers/webShow.js';

declare const window: { synestheteStats: OutputStats };

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the projector page on a playing show', () => {
  it('follows the show through its token, and reconnects when the WebSocket is dropped', async () => {
    const web = await startWebShow({ mode: 'realtime', web: { token: 'sesame' } });
    const running = web.show.run(25);
    try {
      const page = await browser.newPage({ viewport: { width: 160, height: 60 }, deviceScaleFactor: 1 });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${web.base}/output?token=sesame&pixelRatio=1`);
      const stats = () => page.evaluate(() => ({ ...window.synestheteStats }));
      await page.waitForFunction(() => {
        const s = window.synestheteStats;
        return s !== undefined && s.connected && s.pictures > 0 && s.segmentId !== null && s.frames > 10;
      }, undefined, { timeout: 30_000 });
      const first = await stats();
      expect(first.connections).toBe(1);
      expect(first.errors).toEqual([]);
      // the page's playhead is the show's, give or take the two processes' scheduling
      const heard = web.show.engine.clock();
      expect(Math.abs(first.heardFrame - heard.frame) / heard.sampleRate).toBeLessThan(0.5);

      // a projector plugged in mid-show gets the segments playing and ready right after the hello
      const late = await WsClient.connect(`${web.base.replace('http', 'ws')}/ws?token=sesame`);
      await late.next('hello');
      await new Promise((r) => setTimeout(r, 200));
      const replayed = late.messages.slice(2, 6).flatMap((m) => (m.type === 'event' ? [m.event.type] : []));
      late.close();
      expect(replayed).toContain('segment-ready');
      expect(replayed).toContain('segment-started');

      // the network drops every connection (terminated, not closed politely)
      const server = web.web as unknown as { wss: { clients: Set<{ terminate(): void }> } };
      for (const client of server.wss.clients) client.terminate();
      await page.waitForFunction(() => window.synestheteStats.connections >= 2 && window.synestheteStats.connected, undefined, { timeout: 15_000 });
      const framesThen = (await stats()).frames;
      await page.waitForFunction((n) => window.synestheteStats.frames > n + 10, framesThen, { timeout: 15_000 });
      const after = await stats();
      expect(after.segmentId).not.toBeNull();
      expect(errors).toEqual([]);
      // the projector's frame pacing reaches the show's health (reported every 2 s)
      await waitUntil(() => (web.show.engine.state().health.projector?.frames ?? 0) > 0, 'the projector\'s report', 10_000);
      expect(web.show.engine.state().health.projector).toMatchObject({ outputs: 1, skippedFrames: expect.any(Number) });
    } finally {
      web.show.engine.stop();
      await running;
      await web.dispose();
    }
  });
});
