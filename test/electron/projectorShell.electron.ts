import { fileURLToPath } from 'node:url';
import { type ElectronApplication, _electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasDesktop } from '../../engine/cli/visualsOptions.js';
import { electronBinary, listDisplays } from '../../visuals/shell/launchShell.js';
import { shellLaunch } from '../../visuals/shell/shellConfig.js';
import { type WebShow, startWebShow } from '../helpers/webShow.js';

/** The built shell (npm run test:electron builds first). */
const MAIN = fileURLToPath(new URL('../../dist/visuals/shell/main.js', import.meta.url));

const electron = electronBinary();
if (electron === undefined) {
  throw new Error('npm run test:electron needs the Electron binary: npm install electron@41.7.1 with the binary download allowed (or set SYNESTHETE_ELECTRON=/path/to/electron)');
}
if (!hasDesktop(process.platform, process.env)) {
  throw new Error('npm run test:electron needs a desktop: run it in a desktop session or under xvfb-run (Debian: apt-get install xvfb)');
}

/** The shell's JSON reports from its stdout. */
function reports(app: ElectronApplication): Array<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  let buffered = '';
  app.process().stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const l of lines) {
      try {
        seen.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        // Chromium's own output
      }
    }
  });
  return seen;
}

const windowState = (app: ElectronApplication) => app.evaluate(({ BrowserWindow }) => {
  const w = BrowserWindow.getAllWindows()[0]!;
  return { bounds: w.getBounds(), fullScreen: w.isFullScreen(), visible: w.isVisible(), throttling: w.webContents.getBackgroundThrottling(), url: w.webContents.getURL() };
});

const press = (app: ElectronApplication, keyCode: string, modifiers: Array<'control' | 'meta'> = []) => app.evaluate(({ BrowserWindow }, [k, m]) => {
  BrowserWindow.getAllWindows()[0]!.webContents.sendInputEvent({ type: 'keyDown', keyCode: k as string, modifiers: m as Array<'control' | 'meta'> });
}, [keyCode, modifiers] as const);

describe('the Electron projector shell (npm run test:electron)', () => {
  let web: WebShow;
  beforeAll(async () => {
    web = await startWebShow({ web: { token: 'electron-test-token' } });
  });
  afterAll(async () => {
    await web?.dispose();
  });

  it('lists the displays through Electron', async () => {
    const displays = await listDisplays(electron);
    expect(displays.length).toBeGreaterThanOrEqual(1);
    expect(displays.filter((d) => d.primary)).toHaveLength(1);
    for (const d of displays) expect(d.bounds.width).toBeGreaterThan(0);
  });

  it('shows /output with its token in a black, frameless window, unthrottled, cursor hidden; F11, Escape, a late projector and Ctrl+Q', async () => {
    const launch = shellLaunch({ electron, main: MAIN, config: { mode: 'projector', url: web.web.outputUrl }, uid: process.getuid?.(), platform: process.platform, env: process.env });
    const app = await _electron.launch({ executablePath: launch.command, args: [...launch.args], env: { ...process.env, ...launch.env } as Record<string, string> });
    const said = reports(app);
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('load');
      await expect.poll(async () => (await windowState(app)).visible, { timeout: 30_000 }).toBe(true);
      const state = await windowState(app);
      expect(state.url).toBe(web.web.outputUrl);
      expect(state.url).toContain('token=electron-test-token');
      expect(state.throttling).toBe(false);
      await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).cursor)).toBe('none');
      const displays = await listDisplays(electron);
      if (displays.length === 1) {
        // one display: a stand-in window there, not full-screen, until a projector appears
        expect(state.fullScreen).toBe(false);
        expect(said).toContainEqual(expect.objectContaining({ type: 'shown', display: 1, fullScreen: false }));
        await press(app, 'F11');
        await expect.poll(async () => (await windowState(app)).fullScreen).toBe(true);
        await press(app, 'Escape');
        await expect.poll(async () => (await windowState(app)).fullScreen).toBe(false);
        // the projector is plugged in: Electron's screen says so, the window goes there, full-screen
        await app.evaluate(({ screen }) => {
          const real = screen.getAllDisplays();
          const p = real[0]!;
          const late = { ...p, id: p.id + 1000, label: 'Late projector', bounds: { x: p.bounds.x + p.bounds.width, y: 0, width: 800, height: 600 } };
          screen.getAllDisplays = () => [...real, late];
          screen.emit('display-added', {}, late);
        });
        await expect.poll(() => said.find((r) => r.type === 'moved')).toEqual({ type: 'moved', display: 2, label: 'Late projector', fullScreen: true });
      } else {
        expect(state.fullScreen).toBe(true);
      }
      await press(app, 'Q', ['control']);
      await new Promise<void>((resolve) => app.process().once('exit', () => resolve()));
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
