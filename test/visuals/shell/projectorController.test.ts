import { describe, expect, it } from 'vitest';
import { ProjectorController, type ScreenDisplay, type ShellReport, type WindowLike } from '../../../visuals/shell/projectorController.js';

const laptop: ScreenDisplay = { id: 1, label: 'Built-in', bounds: { x: 0, y: 0, width: 1440, height: 900 }, scaleFactor: 2 };
const benq: ScreenDisplay = { id: 7, label: 'BenQ W1070', bounds: { x: 1440, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 };

/** A window that keeps what was done to it. */
class FakeWindow implements WindowLike {
  bounds: ScreenDisplay['bounds'] | undefined;
  fullScreen = false;
  visible = false;
  closed = false;
  constructor(private readonly calls: string[]) {}
  show(): void { this.visible = true; this.calls.push('show'); }
  close(): void { this.closed = true; this.calls.push('close'); }
  setBounds(b: ScreenDisplay['bounds']): void { this.bounds = { ...b }; this.calls.push(`bounds ${b.x},${b.y} ${b.width}x${b.height}`); }
  setFullScreen(on: boolean): void { this.fullScreen = on; this.calls.push(`fullScreen ${on}`); }
  isFullScreen(): boolean { return this.fullScreen; }
}

/** A desktop whose displays the test plugs and unplugs, and a window that keeps what was done to it. */
function desktop(displays: ScreenDisplay[], want?: string) {
  const screen = { displays, getAllDisplays: () => screen.displays, getPrimaryDisplay: () => screen.displays[0]! };
  const calls: string[] = [];
  const window = new FakeWindow(calls);
  const reports: ShellReport[] = [];
  const created: ScreenDisplay['bounds'][] = [];
  const controller = new ProjectorController({
    screen, ...(want !== undefined ? { want } : {}), report: (r) => reports.push(r),
    createWindow: (b) => { created.push(b); window.bounds = { ...b }; return window; },
  });
  return { screen, window, calls, reports, created, controller };
}

const key = (k: string, mods: { control?: boolean; meta?: boolean } = {}) => ({ type: 'keyDown', key: k, control: mods.control ?? false, meta: mods.meta ?? false });

describe('ProjectorController (the Electron shell\'s behaviour, without Electron)', () => {
  it('creates the window hidden inside the projector\'s bounds, then shows it full-screen there', () => {
    const d = desktop([laptop, benq]);
    d.controller.start();
    expect(d.created).toEqual([benq.bounds]);
    expect(d.window.visible).toBe(false);
    d.controller.ready();
    expect(d.calls).toEqual(['show', 'fullScreen true']);
    expect(d.reports).toEqual([{ type: 'shown', display: 2, label: 'BenQ W1070', fullScreen: true }]);
  });

  it('Escape leaves full-screen, F11 and F go back, Ctrl+Q and Cmd+Q close; other keys reach the page', () => {
    const d = desktop([laptop, benq]);
    d.controller.start();
    d.controller.ready();
    expect(d.controller.key(key('Escape'))).toBe(true);
    expect(d.window.fullScreen).toBe(false);
    expect(d.controller.key(key('Escape'))).toBe(true);
    expect(d.window.fullScreen).toBe(false);
    expect(d.controller.key(key('F11'))).toBe(true);
    expect(d.window.fullScreen).toBe(true);
    expect(d.controller.key(key('f'))).toBe(true);
    expect(d.window.fullScreen).toBe(false);
    expect(d.controller.key({ ...key('f'), type: 'keyUp' })).toBe(false);
    expect(d.controller.key(key('b'))).toBe(false);
    expect(d.controller.key(key('q'))).toBe(false);
    expect(d.window.closed).toBe(false);
    expect(d.controller.key(key('q', { meta: true }))).toBe(true);
    expect(d.window.closed).toBe(true);
    const e = desktop([laptop, benq]);
    e.controller.start();
    expect(e.controller.key(key('Q', { control: true }))).toBe(true);
    expect(e.window.closed).toBe(true);
  });

  it('without a projector, shows a window on the laptop (not covering it), and moves full-screen to the projector plugged in late', () => {
    const d = desktop([laptop], 'benq');
    d.controller.start();
    d.controller.ready();
    expect(d.created).toEqual([laptop.bounds]);
    expect(d.window.fullScreen).toBe(false);
    expect(d.reports[0]).toEqual({ type: 'note', message: expect.stringContaining('no display named "benq"') });
    expect(d.reports[1]).toEqual({ type: 'shown', display: 1, label: 'Built-in', fullScreen: false });
    d.calls.length = 0;
    d.screen.displays = [laptop, benq];
    d.controller.displaysChanged();
    expect(d.calls).toEqual(['fullScreen false', 'bounds 1440,0 1920x1080', 'fullScreen true']);
    expect(d.reports.at(-1)).toEqual({ type: 'moved', display: 2, label: 'BenQ W1070', fullScreen: true });
    // another display event changes nothing once it is there
    d.calls.length = 0;
    d.controller.displaysChanged();
    expect(d.calls).toEqual([]);
  });

  it('leaves an unplugged projector for the laptop, in a window, and goes back when it returns', () => {
    const d = desktop([laptop, benq]);
    d.controller.start();
    d.controller.ready();
    d.screen.displays = [laptop];
    d.controller.displaysChanged();
    expect(d.window.bounds).toEqual(laptop.bounds);
    expect(d.window.fullScreen).toBe(false);
    expect(d.reports.slice(-2)).toEqual([
      { type: 'note', message: expect.stringMatching(/^no second display for the projector; showing in a window on 1 "Built-in"/) },
      { type: 'moved', display: 1, label: 'Built-in', fullScreen: false },
    ]);
    d.screen.displays = [laptop, benq];
    d.controller.displaysChanged();
    expect(d.window.bounds).toEqual(benq.bounds);
    expect(d.window.fullScreen).toBe(true);
  });

  it('follows its display when that display changes resolution, keeping full-screen as the performer left it', () => {
    const d = desktop([laptop, benq]);
    d.controller.start();
    d.controller.ready();
    d.controller.key(key('Escape'));
    const smaller = { ...benq, bounds: { ...benq.bounds, width: 1280, height: 720 } };
    d.screen.displays = [laptop, smaller];
    d.controller.displaysChanged();
    expect(d.window.bounds).toEqual(smaller.bounds);
    expect(d.window.fullScreen).toBe(false);
  });

  it('a display asked for by number takes the laptop full-screen when that is what was asked', () => {
    const d = desktop([laptop, benq], '1');
    d.controller.start();
    d.controller.ready();
    expect(d.created).toEqual([laptop.bounds]);
    expect(d.window.fullScreen).toBe(true);
  });
});
