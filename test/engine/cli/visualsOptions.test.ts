import { describe, expect, it } from 'vitest';
import { type VisualsEnvironment, hasDesktop, visualsPlan } from '../../../engine/cli/visualsOptions.js';

/** a newcomer's laptop: a terminal on an X desktop, Electron installed */
const desk: VisualsEnvironment = { platform: 'linux', env: { DISPLAY: ':0' }, interactive: true, electron: true };
const noElectron = { ...desk, electron: false };
const server: VisualsEnvironment = { platform: 'linux', env: {}, interactive: true, electron: true };

describe('visualsPlan: where the projector output goes', () => {
  it('out of the box, from a terminal on a desktop: the projector in Electron, else the system browser', () => {
    expect(visualsPlan({}, true, desk)).toEqual({ kind: 'projector', auto: true });
    expect(visualsPlan({}, true, noElectron)).toEqual({ kind: 'browser', open: true, auto: true });
    expect(visualsPlan({}, true, { ...noElectron, platform: 'darwin', env: {} })).toEqual({ kind: 'browser', open: true, auto: true });
    expect(visualsPlan({}, true, { ...desk, env: { WAYLAND_DISPLAY: 'wayland-0' } }).kind).toBe('projector');
  });

  it('out of the box, never in CI, scripts and tests (no terminal), without a desktop, or for an offline file', () => {
    expect(visualsPlan({}, true, { ...desk, env: { DISPLAY: ':0', CI: 'true' } })).toEqual({ kind: 'none' });
    expect(visualsPlan({}, true, { ...desk, interactive: false })).toEqual({ kind: 'none' });
    expect(visualsPlan({}, true, server)).toEqual({ kind: 'none' });
    expect(visualsPlan({}, false, desk)).toEqual({ kind: 'none' });
    // --no-web: there is no output page to show
    expect(visualsPlan({ web: false }, true, desk)).toEqual({ kind: 'none' });
  });

  it('--headless and --visuals none keep no window anywhere', () => {
    expect(visualsPlan({ headless: true }, true, desk)).toEqual({ kind: 'none' });
    expect(visualsPlan({ visuals: 'none' }, true, desk)).toEqual({ kind: 'none' });
    expect(visualsPlan({ headless: true, visuals: 'none' }, true, desk)).toEqual({ kind: 'none' });
  });

  it('--projector [DISPLAY] and --visuals projector: Electron on the display asked for (default: the second one)', () => {
    expect(visualsPlan({ projector: true }, true, desk)).toEqual({ kind: 'projector', auto: false });
    expect(visualsPlan({ projector: '2' }, true, desk)).toEqual({ kind: 'projector', display: '2', auto: false });
    expect(visualsPlan({ projector: 'benq', visuals: 'projector' }, true, desk)).toEqual({ kind: 'projector', display: 'benq', auto: false });
    expect(visualsPlan({ visuals: 'projector' }, true, { ...desk, platform: 'win32', env: {} })).toEqual({ kind: 'projector', auto: false });
  });

  it('--visuals browser: opened on a desktop, else the URL is printed (even with no terminal: it was asked for)', () => {
    expect(visualsPlan({ visuals: 'browser' }, true, { ...noElectron, interactive: false })).toEqual({ kind: 'browser', open: true, auto: false });
    expect(visualsPlan({ visuals: 'browser' }, true, server)).toEqual({ kind: 'browser', open: false, auto: false });
  });

  it('refuses what cannot be, with one line naming the flags', () => {
    expect(() => visualsPlan({ projector: true, headless: true }, true, desk)).toThrow('--projector and --headless cannot be combined: --headless keeps no window');
    expect(() => visualsPlan({ visuals: 'browser', headless: true }, true, desk)).toThrow('--visuals browser and --headless cannot be combined');
    expect(() => visualsPlan({ projector: '2', visuals: 'browser' }, true, desk)).toThrow('--projector and --visuals browser cannot be combined: choose one');
    expect(() => visualsPlan({ projector: '2', web: false }, true, desk)).toThrow("--projector shows the web port's /output page: it cannot be combined with --no-web");
    expect(() => visualsPlan({ visuals: 'browser', web: false }, true, desk)).toThrow('--visuals browser shows the web port');
    expect(() => visualsPlan({ projector: true }, false, desk)).toThrow('--projector shows the show as it plays: it needs a sound card or --wav --realtime');
    expect(() => visualsPlan({ visuals: 'browser' }, false, desk)).toThrow(/^--visuals browser shows the show as it plays/);
    expect(() => visualsPlan({ projector: true }, true, noElectron)).toThrow(/^--projector needs Electron, which is not installed: npm install electron@41\.7\.1 .*; or use --visuals browser$/);
    expect(() => visualsPlan({ visuals: 'projector' }, true, { ...server, electron: true })).toThrow('--visuals projector: no desktop to show a window on ($DISPLAY and $WAYLAND_DISPLAY are unset)');
  });
});

describe('hasDesktop', () => {
  it('needs an X or Wayland server on Linux, and takes one for granted on macOS and Windows', () => {
    expect(hasDesktop('linux', {})).toBe(false);
    expect(hasDesktop('linux', { DISPLAY: '' })).toBe(false);
    expect(hasDesktop('linux', { DISPLAY: ':1' })).toBe(true);
    expect(hasDesktop('freebsd', { WAYLAND_DISPLAY: 'wayland-1' })).toBe(true);
    expect(hasDesktop('darwin', {})).toBe(true);
    expect(hasDesktop('win32', {})).toBe(true);
  });
});
