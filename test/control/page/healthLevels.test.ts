import { describe, expect, it } from 'vitest';
import { FRESH_TROUBLE_MS, healthLevels } from '../../../control/page/healthLevels.js';
import { engineStateFixture } from '../../helpers/engineStateFixture.js';

const calm = { lateRepeats: null, failedRenders: null, underruns: null };
const levels = (items: ReturnType<typeof healthLevels>) => Object.fromEntries(items.map((i) => [i.key, i.level]));

describe('healthLevels', () => {
  it('is all fine for a show that keeps up', () => {
    const items = healthLevels(engineStateFixture().health, calm, 4, 0);
    expect(levels(items)).toEqual({ ahead: 'ok', render: 'ok', lateRepeats: 'ok', failedRenders: 'ok', underruns: 'ok' });
    expect(items.find((i) => i.key === 'ahead')!.text).toBe('4.0 s');
  });
  it('colours little audio ahead and renders slower than the segment', () => {
    const h = engineStateFixture().health;
    expect(levels(healthLevels({ ...h, aheadSeconds: 1, lastRenderSeconds: 3 }, calm, 4, 0))).toMatchObject({ ahead: 'warn', render: 'warn' });
    expect(levels(healthLevels({ ...h, aheadSeconds: 0.2, lastRenderSeconds: 5 }, calm, 4, 0))).toMatchObject({ ahead: 'bad', render: 'bad' });
    expect(levels(healthLevels({ ...h, lastRenderSeconds: 50 }, calm, null, 0)).render).toBe('ok');
  });
  it('shows a counter that just went up as trouble, then as a warning', () => {
    const h = { ...engineStateFixture().health, underruns: 2 };
    const marks = { ...calm, underruns: 1000 };
    expect(levels(healthLevels(h, marks, 4, 1000 + FRESH_TROUBLE_MS - 1)).underruns).toBe('bad');
    expect(levels(healthLevels(h, marks, 4, 1000 + FRESH_TROUBLE_MS)).underruns).toBe('warn');
  });
  it('shows the projector\'s skipped frames when one is connected: a stutter the audience sees is trouble', () => {
    const h = engineStateFixture().health;
    const projector = (skippedFrames: number, outputs = 1) => healthLevels({ ...h, projector: { outputs, frames: 1000, skippedFrames, drawMeanMs: 5 } }, calm, 4, 0).find((i) => i.key === 'projector')!;
    expect(projector(5)).toMatchObject({ text: '5', level: 'ok' });
    expect(projector(30)).toMatchObject({ level: 'warn' });
    expect(projector(100, 2)).toMatchObject({ text: '100 (2 screens)', level: 'bad' });
  });
});

describe('healthLevels: listen mode\'s input', () => {
  const h = engineStateFixture().health;
  const input = (l: Partial<NonNullable<typeof h.listen>>) =>
    healthLevels({ ...h, listen: { device: 'pulse', peakDb: -12, clipping: false, quietSeconds: 0, overflows: 0, errors: 0, ...l } }, calm, 4, 0).find((i) => i.key === 'listen')!;
  it('shows the level while the music comes in', () => {
    expect(input({})).toMatchObject({ label: 'input pulse', text: '-12 dB', level: 'ok' });
    expect(healthLevels(h, calm, 4, 0).find((i) => i.key === 'listen')).toBeUndefined();
  });
  it('warns of a faint or clipping input and of lost audio; silence for 10 s, or a failing input, is trouble', () => {
    expect(input({ peakDb: -45 })).toMatchObject({ level: 'warn' });
    expect(input({ peakDb: 0, clipping: true })).toMatchObject({ text: '0 dB clipping', level: 'warn' });
    expect(input({ peakDb: 0 })).toMatchObject({ text: '0 dB', level: 'ok' }); // a mastered track's -0.4 dBFS
    expect(input({ overflows: 3 })).toMatchObject({ text: '-12 dB · 3 lost', level: 'warn' });
    expect(input({ peakDb: null, quietSeconds: 4 })).toMatchObject({ text: 'silent 4 s', level: 'warn' });
    expect(input({ peakDb: -70, quietSeconds: 12 })).toMatchObject({ text: 'silent 12 s', level: 'bad' });
    expect(input({ errors: 1 })).toMatchObject({ text: '-12 dB · 1 failed', level: 'bad' });
    expect(input({ device: 'USB Audio CODEC: - (hw:1,0) analog' }).label).toBe('input USB Audio CODEC: - (hw:…');
  });
});
