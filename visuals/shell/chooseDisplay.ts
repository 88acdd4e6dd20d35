/** A display as the shell sees it (from Electron's `screen`), reduced to what choosing needs. */
export interface DisplayInfo {
  /** Electron's display id (stable while it stays plugged in) */
  readonly id: number;
  /** the system's name for it (e.g. `BenQ W1070`, `Built-in Retina Display`); may be empty */
  readonly label: string;
  /** position and size in the desktop's coordinates (device-independent pixels) */
  readonly bounds: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  readonly scaleFactor: number;
  readonly primary: boolean;
}

/** The display the projector window goes to. */
export interface DisplayChoice {
  readonly display: DisplayInfo;
  /**
   * true: it is the display asked for (or, with none asked for, a second display: the projector),
   * so the window goes full-screen there. false: a stand-in (the primary display) until the one
   * asked for is plugged in; the window stays a window, so the performer's screen is not covered.
   */
  readonly matched: boolean;
  /** why a stand-in was chosen, for one line on stderr */
  readonly note?: string;
}

/**
 * Chooses the projector's display: `want` is a number as `synesthete displays` lists them (1 is
 * the first), or part of a display's name (case-insensitive). Without `want`, the first display
 * that is not the primary one: with a laptop and a projector, the projector. When nothing matches
 * (the projector is not plugged in yet), the primary display stands in and `matched` is false; the
 * shell calls this again on every `display-added` and moves the window when it becomes true.
 *
 * @param displays in the order `synesthete displays` lists them (non-empty)
 * @example
 * const laptop = { id: 1, label: 'Built-in', bounds: { x: 0, y: 0, width: 1440, height: 900 }, scaleFactor: 2, primary: true };
 * const benq = { id: 7, label: 'BenQ W1070', bounds: { x: 1440, y: 0, width: 1920, height: 1080 }, scaleFactor: 1, primary: false };
 * chooseDisplay([laptop, benq]).display.label          // 'BenQ W1070'
 * chooseDisplay([laptop, benq], '1').display.label     // 'Built-in'
 * chooseDisplay([laptop, benq], 'benq').matched        // true
 * chooseDisplay([laptop], 'benq').matched              // false: a window on the laptop until it appears
 */
export function chooseDisplay(displays: readonly DisplayInfo[], want?: string): DisplayChoice {
  if (displays.length === 0) throw new RangeError('chooseDisplay: no displays');
  const primary = displays.find((d) => d.primary) ?? displays[0]!;
  const standIn = (why: string): DisplayChoice => ({ display: primary, matched: false, note: `${why}; showing in a window on ${describe(primary, displays)} until it is plugged in` });
  const wanted = want?.trim();
  if (wanted === undefined || wanted === '') {
    const second = displays.find((d) => d !== primary);
    return second ? { display: second, matched: true } : standIn('no second display for the projector');
  }
  if (/^\d+$/.test(wanted)) {
    const d = displays[Number(wanted) - 1];
    return d ? { display: d, matched: true } : standIn(`display ${wanted} is not connected (${countOf(displays)}: ${list(displays)})`);
  }
  const needle = wanted.toLowerCase();
  const d = displays.find((x) => x.label.toLowerCase().includes(needle));
  return d ? { display: d, matched: true } : standIn(`no display named "${wanted}" (${countOf(displays)}: ${list(displays)})`);
}

/** One line per display, as `synesthete displays` prints them. */
export function displayTable(displays: readonly DisplayInfo[]): string[] {
  return displays.map((d, i) => {
    const { x, y, width, height } = d.bounds;
    return `${String(i + 1).padStart(2)}  ${(d.label || '(no name)').padEnd(24)} ${width}x${height} at ${x},${y}  scale ${d.scaleFactor}${d.primary ? '  primary' : ''}`;
  });
}

function describe(d: DisplayInfo, all: readonly DisplayInfo[]): string {
  return `${all.indexOf(d) + 1}${d.label ? ` "${d.label}"` : ''}`;
}

function list(displays: readonly DisplayInfo[]): string {
  return displays.map((d) => describe(d, displays)).join(', ');
}

function countOf(displays: readonly DisplayInfo[]): string {
  return displays.length === 1 ? '1 display' : `${displays.length} displays`;
}
