import { describe, expect, it } from 'vitest';
import { FakeMidiBackend } from '../../../control/midi/fakeMidiBackend.js';
import { tempDir } from '../../helpers/fixtures.js';
import { text, until, usePageBrowser } from '../../helpers/pageBrowser.js';

/** The control page's MIDI learn and roles, in Chromium against a show's real web port. */
const { webShow, open } = usePageBrowser();

describe('the control page: MIDI learn, tokens and the view role', () => {
  it('MIDI learn: the button waits, the knob moved is mapped, and the knob then moves the page too', async () => {
    const PORT = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0';
    const backend = new FakeMidiBackend();
    backend.plug(PORT);
    const { base } = await webShow({ show: { midi: { device: 'nano', backend: () => backend, mappingDir: tempDir() } } });
    const page = await open(`${base}/`);
    const learn = page.locator('[data-learn="filter"]');
    await learn.click();
    await until(page, () => learn.textContent(), (t) => t === 'waiting…');
    backend.play(PORT, { type: 'cc', channel: 2, controller: 21, value: 64 });
    await until(page, () => learn.textContent(), (t) => t === 'learn');
    expect(await text(page, '[data-toast="info"]')).toContain('cc 21 on channel 2');
    for (const value of [60, 64, 70, 127]) backend.play(PORT, { type: 'cc', channel: 2, controller: 21, value });
    await until(page, () => text(page, '[data-param="filter"] .value'), (t) => t === '1');
  });

  it('MIDI learn without a controller: the refusal is shown and the button stops waiting', async () => {
    const { base } = await webShow();
    const page = await open(`${base}/`);
    await page.locator('[data-learn="gain"]').click();
    const toast = await until(page, () => text(page, '[data-toast="error"]'), (t) => t !== '');
    expect(toast).toContain('--midi');
    expect(await page.locator('[data-learn="gain"]').textContent()).toBe('learn');
  });

  it('with a token: the page passes it on; the view token gets a page that watches but cannot steer', async () => {
    const { base, show } = await webShow({ web: { token: 'steer', viewToken: 'watch' } });
    const steer = await open(`${base}/?token=steer`);
    const watch = await open(`${base}/?token=watch`);
    // "live" comes with the first state; the role with the hello right after it
    await until(watch, () => text(watch, '[data-readout="role"]'), (t) => t === 'view only');
    expect(await watch.locator('fieldset.controls').evaluateAll((fs) => fs.map((f) => (f as HTMLFieldSetElement).disabled))).toEqual([true, true, true, true, true]);
    expect(await steer.locator('fieldset.controls').evaluateAll((fs) => fs.some((f) => (f as HTMLFieldSetElement).disabled))).toBe(false);
    expect(await watch.locator('[data-action="tap"]').isDisabled()).toBe(true);
    // the projector preview, on request, loads with the page's token too
    await watch.locator('[data-action="preview"]').click();
    expect(await watch.locator('[data-readout="preview"]').getAttribute('src')).toBe('/preview?token=watch');
    // served (a refusal would be a bare 401 without the projector's script)
    await watch.frameLocator('[data-readout="preview"]').locator('script[src^="/assets/"]').waitFor({ state: 'attached', timeout: 5000 });
    await steer.locator('[data-param="gain"] input[type=range]').fill('0.6');
    await until(watch, () => text(watch, '[data-param="gain"] .value'), (t) => t === '0.6');
    expect(show.engine.state().instant.gain).toBe(0.6);
  });
});
