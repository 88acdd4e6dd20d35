import { type DisplayChoice, type DisplayInfo, chooseDisplay } from './chooseDisplay.js';

/** The part of Electron's `Display` the shell reads. */
export interface ScreenDisplay {
  readonly id: number;
  readonly label?: string;
  readonly bounds: DisplayInfo['bounds'];
  readonly scaleFactor: number;
}

/** The part of Electron's `screen` the shell reads. */
export interface ScreenLike {
  getAllDisplays(): ScreenDisplay[];
  getPrimaryDisplay(): ScreenDisplay;
}

/** The part of a `BrowserWindow` the controller steers. */
export interface WindowLike {
  show(): void;
  close(): void;
  setBounds(bounds: DisplayInfo['bounds']): void;
  setFullScreen(on: boolean): void;
  isFullScreen(): boolean;
}

/** A key press as Electron's `before-input-event` gives it. */
export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly control: boolean;
  readonly meta: boolean;
}

/** What the shell tells the CLI (one JSON line each on its stdout). */
export type ShellReport =
  | { readonly type: 'displays'; readonly displays: readonly DisplayInfo[] }
  | { readonly type: 'shown'; readonly display: number; readonly label: string; readonly fullScreen: boolean }
  | { readonly type: 'moved'; readonly display: number; readonly label: string; readonly fullScreen: boolean }
  | { readonly type: 'note'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** Electron's displays in its own order, with the primary one marked. */
export function displaysOf(screen: ScreenLike): DisplayInfo[] {
  const primary = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d) => ({ id: d.id, label: d.label ?? '', bounds: { ...d.bounds }, scaleFactor: d.scaleFactor, primary: d.id === primary }));
}

/**
 * The projector window's behaviour, apart from Electron so it can be tested without it (the shell's
 * main script only wires Electron's events here):
 * - the window is created inside the chosen display's bounds, hidden, and shown on ready-to-show,
 *   full-screen when that display is the one asked for (Electron has no "full-screen on display X",
 *   electron/electron#30249: a window goes full-screen on the display it is on);
 * - Escape leaves full-screen, F11 or F toggles it, Ctrl+Q (Cmd+Q) closes the window;
 * - when displays come and go, the window moves to the display asked for as soon as it is there
 *   (a projector plugged in late), and off a display that was unplugged.
 */
export class ProjectorController {
  private choice: DisplayChoice | undefined;
  private window: WindowLike | undefined;

  constructor(private readonly options: {
    readonly screen: ScreenLike;
    /** a number or part of a name (chooseDisplay); undefined: the second display */
    readonly want?: string;
    readonly createWindow: (bounds: DisplayInfo['bounds']) => WindowLike;
    readonly report: (report: ShellReport) => void;
  }) {}

  /** Creates the (hidden) window on the chosen display. */
  start(): WindowLike {
    const displays = displaysOf(this.options.screen);
    this.choice = chooseDisplay(displays, this.options.want);
    if (this.choice.note) this.options.report({ type: 'note', message: this.choice.note });
    this.window = this.options.createWindow(this.choice.display.bounds);
    return this.window;
  }

  /** The page has painted: show it, full-screen where it belongs. */
  ready(): void {
    const { window, choice } = this.started();
    window.show();
    if (choice.matched) window.setFullScreen(true);
    this.options.report({ type: 'shown', ...this.where(choice), fullScreen: choice.matched });
  }

  /** Handles the shell's keys; returns true when the key was one of them (the page does not get it). */
  key(input: KeyInput): boolean {
    if (input.type !== 'keyDown') return false;
    const { window } = this.started();
    const key = input.key.toLowerCase();
    if (key === 'escape') {
      if (window.isFullScreen()) window.setFullScreen(false);
      return true;
    }
    if (key === 'f11' || (key === 'f' && !input.control && !input.meta)) {
      window.setFullScreen(!window.isFullScreen());
      return true;
    }
    if (key === 'q' && (input.control || input.meta)) {
      window.close();
      return true;
    }
    return false;
  }

  /**
   * A display was added, removed or changed: choose again, and move when the display asked for
   * has appeared, the window's display has gone, or its display's bounds changed.
   */
  displaysChanged(): void {
    const { window, choice } = this.started();
    const displays = displaysOf(this.options.screen);
    if (displays.length === 0) return;
    const next = chooseDisplay(displays, this.options.want);
    const current = displays.find((d) => d.id === choice.display.id);
    const sameBounds = current !== undefined && JSON.stringify(current.bounds) === JSON.stringify(choice.display.bounds);
    const better = next.matched && !choice.matched;
    if (current && sameBounds && !better) return;
    // stay where the window is unless its display went away or the one asked for arrived
    const target = better || !current ? next : { ...choice, display: current };
    // a display that only changed size keeps the window as the performer left it (Escape)
    const fullScreen = better || !current ? target.matched : window.isFullScreen();
    this.choice = target;
    window.setFullScreen(false);
    window.setBounds(target.display.bounds);
    if (fullScreen) window.setFullScreen(true);
    if (target.note && !current) this.options.report({ type: 'note', message: target.note });
    this.options.report({ type: 'moved', ...this.where(target), fullScreen });
  }

  private where(choice: DisplayChoice): { display: number; label: string } {
    const displays = displaysOf(this.options.screen);
    return { display: displays.findIndex((d) => d.id === choice.display.id) + 1, label: choice.display.label };
  }

  private started(): { window: WindowLike; choice: DisplayChoice } {
    if (!this.window || !this.choice) throw new Error('ProjectorController: start() first');
    return { window: this.window, choice: this.choice };
  }
}
