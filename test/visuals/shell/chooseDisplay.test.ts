import { describe, expect, it } from 'vitest';
import { type DisplayInfo, chooseDisplay, displayTable } from '../../../visuals/shell/chooseDisplay.js';

const laptop: DisplayInfo = { id: 11, label: 'Built-in Retina Display', bounds: { x: 0, y: 0, width: 1440, height: 900 }, scaleFactor: 2, primary: true };
const benq: DisplayInfo = { id: 27, label: 'BenQ W1070', bounds: { x: 1440, y: 0, width: 1920, height: 1080 }, scaleFactor: 1, primary: false };
const led: DisplayInfo = { id: 31, label: 'LED wall', bounds: { x: -1280, y: 0, width: 1280, height: 720 }, scaleFactor: 1, primary: false };

describe('chooseDisplay', () => {
  it('takes the second display by default: with a laptop and a projector, the projector', () => {
    expect(chooseDisplay([laptop, benq])).toEqual({ display: benq, matched: true });
    // the primary need not come first
    expect(chooseDisplay([benq, laptop])).toEqual({ display: benq, matched: true });
    expect(chooseDisplay([laptop, led, benq]).display).toBe(led);
  });

  it('takes a number as `synesthete displays` lists them, from 1', () => {
    expect(chooseDisplay([laptop, benq, led], '1')).toEqual({ display: laptop, matched: true });
    expect(chooseDisplay([laptop, benq, led], '3')).toEqual({ display: led, matched: true });
    expect(chooseDisplay([laptop, benq, led], ' 2 ').display).toBe(benq);
  });

  it('takes part of a name, whatever its case', () => {
    expect(chooseDisplay([laptop, benq, led], 'benq')).toEqual({ display: benq, matched: true });
    expect(chooseDisplay([laptop, benq, led], 'WALL').display).toBe(led);
  });

  it('stands in with the primary display, not full-screen, while the one asked for is missing, and says why in one line', () => {
    const byNumber = chooseDisplay([laptop, benq], '3');
    expect(byNumber).toMatchObject({ display: laptop, matched: false });
    expect(byNumber.note).toBe('display 3 is not connected (2 displays: 1 "Built-in Retina Display", 2 "BenQ W1070"); showing in a window on 1 "Built-in Retina Display" until it is plugged in');
    expect(chooseDisplay([laptop], 'benq').note).toBe('no display named "benq" (1 display: 1 "Built-in Retina Display"); showing in a window on 1 "Built-in Retina Display" until it is plugged in');
    const alone = chooseDisplay([laptop]);
    expect(alone).toMatchObject({ display: laptop, matched: false });
    expect(alone.note).toMatch(/^no second display for the projector; showing in a window on 1/);
    expect(chooseDisplay([laptop], '0').matched).toBe(false);
  });

  it('finds the late projector once it is in the list (what the shell does on display-added)', () => {
    expect(chooseDisplay([laptop], 'benq').matched).toBe(false);
    expect(chooseDisplay([laptop, benq], 'benq')).toEqual({ display: benq, matched: true });
  });

  it('uses the first display when none is marked primary, and refuses an empty list', () => {
    const a = { ...laptop, primary: false };
    expect(chooseDisplay([a, benq]).display).toBe(benq);
    expect(() => chooseDisplay([])).toThrow('no displays');
  });
});

describe('displayTable', () => {
  it('prints one line per display, numbered as --projector takes them', () => {
    expect(displayTable([laptop, benq, { ...led, label: '' }])).toEqual([
      ' 1  Built-in Retina Display  1440x900 at 0,0  scale 2  primary',
      ' 2  BenQ W1070               1920x1080 at 1440,0  scale 1',
      ' 3  (no name)                1280x720 at -1280,0  scale 1',
    ]);
  });
});
