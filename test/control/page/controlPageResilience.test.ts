import { describe, expect, it } from 'vitest';
import { text, until, usePageBrowser } from '../../helpers/pageBrowser.js';

/**
 * The control page when the show cannot answer: a show too busy to talk for a second (the page
 * keeps predicting), and a show that goes away and comes back (the page reconnects).
 */
const { webShow, open } = usePageBrowser();

describe('the control page when the show cannot answer', () => {
  it('keeps the beat light and playhead moving while the show is too busy to talk, then catches up', async () => {
    const { base, show } = await webShow({ mode: 'realtime' });
    const page = await open(`${base}/`);
    const running = show.run(30);
    const playhead = () => page.locator('[data-readout="playhead"]').getAttribute('data-position');
    const first = await until(page, playhead, (p) => p !== null, 20_000);
    await until(page, playhead, (p) => p !== first); // playing, not waiting for the first segment
    // the page records its playhead every 50 ms by itself while this process (the show) is blocked
    await page.evaluate(() => {
      const w = window as unknown as { samples: string[] };
      w.samples = [];
      setInterval(() => w.samples.push(document.querySelector('[data-readout="playhead"]')!.getAttribute('data-position') ?? ''), 50);
    });
    const end = Date.now() + 1000;
    while (Date.now() < end) { /* the show's event loop is stuck: no clock, no state */ }
    await page.waitForTimeout(100);
    const samples = await page.evaluate(() => (window as unknown as { samples: string[] }).samples);
    // during the second without messages the playhead still moved (predicted from the last clock)
    expect(new Set(samples.slice(0, 15)).size).toBeGreaterThan(5);
    expect(await text(page, '[data-readout="connection"]')).toBe('live');
    await page.locator('[data-param="gain"] input[type=range]').fill('0.4');
    await until(page, async () => show.engine.state().instant.gain, (g) => g === 0.4);
    show.engine.stop();
    await running;
  });

  it('says "reconnecting" when the show goes away and comes back live when it returns', async () => {
    const first = await webShow();
    const port = first.web.port;
    const page = await open(`${first.base}/`);
    await first.dispose();
    await until(page, () => text(page, '[data-readout="connection"]'), (t) => t === 'reconnecting…');
    const second = await webShow({ web: { port } });
    second.show.engine.command({ type: 'gain', value: 0.2 }, 'api');
    await until(page, () => text(page, '[data-readout="connection"]'), (t) => t === 'live', 10_000);
    await until(page, () => text(page, '[data-param="gain"] .value'), (t) => t === '0.2');
  });
});
