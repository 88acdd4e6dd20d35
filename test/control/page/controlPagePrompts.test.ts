import { describe, expect, it } from 'vitest';
import { text, until, usePageBrowser } from '../../helpers/pageBrowser.js';

/** The control page's texts and seed, in Chromium against a show's real web port (idle). */
const { webShow, open } = usePageBrowser();

describe('the control page: prompts, up next, seed', () => {
  it('type imprint words, press send: the show takes them and the page shows them; history keeps them', async () => {
    const { base, show } = await webShow();
    const page = await open(`${base}/`);
    const row = '[data-param="imprint.text"]';
    await page.locator(`${row} textarea`).fill('night bus');
    await page.locator(`${row} button.send`).click();
    await until(page, () => text(page, `${row} .value`), (t) => t === 'night bus');
    expect(show.engine.state().imprint?.text).toBe('night bus');
    // the history survives a reload
    await page.reload();
    await until(page, () => page.locator(`${row} select.history option`).allTextContents(), (o) => o.includes('night bus'));
  });

  it('up next: typed ahead for the imprint words, sent by go, and the slot is free again', async () => {
    const { base, show } = await webShow();
    const page = await open(`${base}/`);
    await page.locator('[data-param="up-next"] textarea').fill('last train');
    await page.locator('[data-param="up-next"] select').selectOption('imprint.text');
    expect(show.engine.state().imprint?.text).not.toBe('last train');
    await page.locator('[data-action="up-next-go"]').click();
    await until(page, () => text(page, '[data-param="imprint.text"] .value'), (t) => t === 'last train');
    expect(await page.locator('[data-param="up-next"] textarea').inputValue()).toBe('');
    expect(await page.locator('[data-param="imprint.text"] select.history option').allTextContents()).toContain('last train');
  });

  it('seed: set, walk (+1 per press) and random', async () => {
    const { base, show } = await webShow();
    const page = await open(`${base}/`);
    await page.locator('[data-param="seed"] input').fill('41');
    await page.locator('[data-action="seed-set"]').click();
    await until(page, () => text(page, '[data-param="seed"] .value'), (t) => t === '41');
    await page.locator('[data-action="seed-walk"]').click();
    await until(page, () => text(page, '[data-param="seed"] .value'), (t) => t === '42');
    await page.locator('[data-action="seed-random"]').click();
    await until(page, () => text(page, '[data-param="seed"] .value'), (t) => t !== '42');
    expect(String(show.engine.state().seed)).toBe(await text(page, '[data-param="seed"] .value'));
  });
});
