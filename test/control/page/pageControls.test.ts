import { describe, expect, it } from 'vitest';
import { currentValue, dangerous, faderStep, formatValue, generatedParameters, randomSeed, scaledTempo, walkSeed } from '../../../control/page/pageControls.js';
import { type Parameter, PARAMETERS, parameter } from '../../../control/protocol/parameters.js';
import { engineStateFixture } from '../../helpers/engineStateFixture.js';

describe('generatedParameters', () => {
  it('generates controls for every parameter without a hand-made one, by kind', () => {
    const groups = generatedParameters();
    const names = [...groups.values()].flat().map((p) => p.name);
    // today's table: all but these three have a control of their own, and the projector's
    // parameters (issue 11) are all generated
    const visual = PARAMETERS.filter((p) => p.kind === 'visual').map((p) => p.name);
    expect(names).toEqual(['imprint.strength', 'meter', ...visual]);
    expect(visual).toContain('blackout');
  });
  it('picks up a parameter added to the table, under its own kind', () => {
    const strobe = { name: 'visual.strobe2', kind: 'lights', type: 'number', min: 0, max: 1, default: 0, help: 'a second strobe', command: { type: 'lights', field: 'value' } } as unknown as Parameter;
    const groups = generatedParameters([...PARAMETERS, strobe]);
    expect(groups.get('lights')).toEqual([strobe]);
  });
});

describe('dangerous', () => {
  it('is the source switch and anything that stops, not the everyday controls', () => {
    const stop = { ...parameter('tap'), name: 'show.stop' } as Parameter;
    expect(dangerous(parameter('source'))).toBe(true);
    expect(dangerous(stop)).toBe(true);
    expect(PARAMETERS.filter(dangerous).map((p) => p.name)).toEqual(['source']);
  });
});

describe('values and formats', () => {
  it('reads values from the state and null for triggers and unknown names', () => {
    const s = engineStateFixture();
    expect(currentValue(s, 'gain')).toBe(1);
    expect(currentValue(s, 'meter')).toBe(4);
    expect(currentValue(s, 'tap')).toBeNull();
    expect(currentValue(s, 'visual.nothing')).toBeNull();
    expect(currentValue(null, 'gain')).toBeNull();
  });
  it('formats numbers with their unit, booleans as on/off', () => {
    expect(formatValue(parameter('tempo'), 123.4567)).toBe('123.457 BPM');
    expect(formatValue(parameter('meter'), 3)).toBe('3 beats per bar');
    expect(formatValue(parameter('freeze'), true)).toBe('on');
    expect(formatValue(parameter('gain'), null)).toBe('–');
    expect(faderStep(parameter('meter'))).toBe(1);
    expect(faderStep(parameter('filter'))).toBeCloseTo(0.002, 9);
  });
});

describe('tempo and seed helpers', () => {
  it('doubles and halves the tempo inside its range only', () => {
    const tempo = parameter('tempo');
    expect(scaledTempo(120, 2, tempo)).toBe(240);
    expect(scaledTempo(120, 0.5, tempo)).toBe(60);
    expect(scaledTempo(160, 2, tempo)).toBeNull();
    expect(scaledTempo(30, 0.5, tempo)).toBeNull();
  });
  it('walks the seed by one, wrapping at the top, and draws random seeds in range', () => {
    const seed = parameter('seed');
    expect(walkSeed(41, seed)).toBe(42);
    expect(walkSeed(seed.max!, seed)).toBe(0);
    expect(randomSeed(seed, () => 0)).toBe(0);
    expect(randomSeed(seed, () => 0.999999999999)).toBe(seed.max);
  });
});
