import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pictureNames } from '../../../engine/live/namingSurfaces.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { text, until, usePageBrowser } from '../../helpers/pageBrowser.js';

/**
 * The control page in Debian's Chromium against the real web port of a show (idle: commands
 * apply and the state changes, nothing renders). Needs dist/pages (npm run build).
 */
const { webShow, open } = usePageBrowser();

describe('the control page: faders in sync, tempo, quantize, source', () => {
  it('gain, filter and freeze steer the show, and a second page follows', async () => {
    const { base, show } = await webShow();
    const a = await open(`${base}/`);
    const b = await open(`${base}/`);
    await a.locator('[data-param="gain"] input[type=range]').fill('0.3');
    await until(b, () => text(b, '[data-param="gain"] .value'), (t) => t === '0.3');
    expect(show.engine.state().instant.gain).toBe(0.3);
    expect(await b.locator('[data-param="gain"] input[type=range]').inputValue()).toBe('0.3');
    await b.locator('[data-param="freeze"] button.toggle').click();
    await until(a, () => a.locator('[data-param="freeze"] button.toggle').getAttribute('aria-pressed'), (v) => v === 'true');
    expect(show.engine.state().instant.freeze).toBe(true);
    await a.locator('[data-param="filter"] input[type=range]').fill('-0.5');
    await until(b, () => text(b, '[data-param="filter"] .value'), (t) => t === '-0.5');
    await b.locator('[data-action="filter-bypass"]').click();
    await until(a, () => text(a, '[data-param="filter"] .value'), (t) => t === '0');
  });

  it('x2 and /2 double and halve the tempo; quantize and the generated meter control steer too', async () => {
    const { base, show } = await webShow();
    const page = await open(`${base}/`);
    const bpm0 = show.engine.state().transport.bpm;
    await page.locator('[data-action="half"]').click();
    await until(page, () => text(page, '[data-readout="tempo"]'), (t) => Number(t) === bpm0 / 2);
    await page.locator('[data-action="double"]').click();
    await until(page, () => text(page, '[data-readout="tempo"]'), (t) => Number(t) === bpm0);
    await page.locator('[data-param="quantize"] button[data-value="beat"]').click();
    await until(page, () => page.locator('[data-param="quantize"] button[data-value="beat"]').getAttribute('aria-pressed'), (v) => v === 'true');
    expect(show.engine.state().transport.quantize).toBe('beat');
    // meter has no hand-made control: the page made one from the parameter table
    await page.locator('[data-kind="transport"] [data-param="meter"] input[type=range]').fill('3');
    await until(page, () => text(page, '[data-param="meter"] .value'), (t) => t === '3 beats per bar');
    expect(show.engine.state().transport.beatsPerBar).toBe(3);
  });

  it('preset buttons come from the show (hello.presets); pressing one switches to it', async () => {
    const { base, show } = await webShow({ web: { presets: ['tiny', 'waltz'] } });
    const page = await open(`${base}/`);
    // "live" comes with the first state; the presets with the hello right after it
    await until(page, () => page.locator('[data-param="preset"] button').allTextContents(), (names) => names.join() === 'tiny,waltz');
    await page.locator('[data-param="preset"] button[data-value="waltz"]').click();
    await until(page, async () => show.engine.state().preset, (p) => p === 'waltz');
    await until(page, () => page.locator('[data-param="preset"] button[data-value="waltz"]').getAttribute('aria-pressed'), (v) => v === 'true');
  });

  it('picture buttons come from the show\'s pictures folder (hello.pictures); pressing one imprints it', async () => {
    const dir = tempDir();
    copyFileSync(fixture('golden/txt2img-picture-euler/image.png'), join(dir, 'sea.png'));
    const { base, show } = await webShow({ show: { pictures: dir }, web: { pictures: () => pictureNames(dir) } });
    const page = await open(`${base}/`);
    await until(page, () => page.locator('[data-param="imprint.image"] button').allTextContents(), (names) => names.join() === 'sea.png');
    await page.locator('[data-param="imprint.image"] button[data-value="sea.png"]').click();
    await until(page, async () => show.engine.state().imprint?.image, (image) => image === join(dir, 'sea.png'));
    await until(page, () => page.locator('[data-param="imprint.image"] button[data-value="sea.png"]').getAttribute('aria-pressed'), (v) => v === 'true');
  });

  it('the source switch needs a double tap: one tap arms, a second within 600 ms switches', async () => {
    const { base, show } = await webShow();
    const page = await open(`${base}/`);
    const images = page.locator('[data-param="source"] button[data-value="images"]');
    const before = show.engine.state().source;
    await images.click();
    await until(page, () => images.getAttribute('class'), (c) => c?.includes('armed') === true);
    await page.waitForTimeout(800);
    expect(await images.getAttribute('class')).not.toContain('armed');
    expect(show.engine.state().source).toBe(before);
    await images.dblclick();
    await until(page, () => images.getAttribute('aria-pressed'), (v) => v === 'true');
    expect(show.engine.state().source).toBe('images');
  });
});
