import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { text, until, usePageBrowser } from '../../helpers/pageBrowser.js';

/**
 * The control page on a show that plays (the imprint source in real time into a WAV file): the
 * picture and its playhead, the beat light between clock messages, tap tempo.
 */
const { webShow, open } = usePageBrowser();

/** Beats since the start of bar 1 (0-based), from a bar and a beat. */
const beats = (bar: number, beat: number, perBar: number) => (bar - 1) * perBar + beat - 1;

async function pagePosition(page: Page): Promise<{ bar: number; beat: number }> {
  const [bar, beat] = (await text(page, '[data-readout="position"]')).split('.').map(Number);
  return { bar: bar!, beat: beat! };
}

describe('the control page on a playing show', () => {
  it('shows the picture playing with a moving playhead and a beat light in step with the show; tap tempo', async () => {
    const { base, show } = await webShow({ mode: 'realtime' });
    const page = await open(`${base}/`);
    const running = show.run(30);
    const img = page.locator('[data-readout="picture"]');
    await until(page, () => img.evaluate((i) => (i as HTMLImageElement).naturalWidth), (w) => w > 0, 20_000);
    expect(await text(page, '[data-readout="description"]')).toMatch(/^#\d+ /);
    // the playhead moves between samples and stays on the picture
    const p1 = Number(await page.locator('[data-readout="playhead"]').getAttribute('data-position'));
    await page.waitForTimeout(400);
    const p2 = Number(await page.locator('[data-readout="playhead"]').getAttribute('data-position'));
    expect(p1).toBeGreaterThanOrEqual(0);
    expect(p2).toBeLessThan(1);
    expect(p2).not.toBe(p1);
    // the predicted beat is the show's beat, within one (the page samples a moment later)
    const perBar = show.engine.state().transport.beatsPerBar;
    for (let i = 0; i < 3; i++) {
      const t = show.engine.state().transport;
      const mine = await pagePosition(page);
      const diff = beats(mine.bar, mine.beat, perBar) - beats(t.bar, t.beat, perBar);
      expect(Math.abs(diff), `page ${mine.bar}.${mine.beat}, show ${t.bar}.${t.beat}`).toBeLessThanOrEqual(1);
      await page.waitForTimeout(300);
    }
    // up next, armed for the next bar: nothing is sent until the beat light reaches it
    await page.locator('[data-param="up-next"] textarea').fill('on the bar');
    await page.locator('[data-param="up-next"] select').selectOption('imprint.text');
    const armedAt = await pagePosition(page);
    await page.locator('[data-action="up-next-bar"]').click();
    const sentAt = await until(page, async () => (show.engine.state().imprint?.text === 'on the bar' ? pagePosition(page) : null), (p) => p !== null, 10_000);
    expect(sentAt!.bar).toBeGreaterThan(armedAt.bar);
    // tap four times: the show follows the taps and the page shows the new tempo
    const before = await text(page, '[data-readout="tempo"]');
    const clicked: number[] = [];
    for (let i = 0; i < 4; i++) {
      await page.locator('[data-action="tap"]').click();
      clicked.push(performance.now());
      await page.waitForTimeout(375); // about 160 BPM, plus the time a click takes here
    }
    await until(page, () => text(page, '[data-readout="tempo"]'), (t) => t !== before);
    // the show times taps by the wall clock, so the tempo is the one tapped (within what the
    // delivery of each click adds)
    expect(show.engine.state().transport.clockSource).toBe('tap');
    const tapped = 60_000 / ((clicked.at(-1)! - clicked[0]!) / 3);
    expect(Math.abs(show.engine.state().transport.bpm - tapped) / tapped).toBeLessThan(0.15);
    const bpm = show.engine.state().transport.bpm.toFixed(1);
    await until(page, () => text(page, '[data-readout="tempo"]'), (t) => t === bpm);
    show.engine.stop();
    await running;
  });
});
