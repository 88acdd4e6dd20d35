import { describe, expect, it } from 'vitest';
import { SendCoalescer } from '../../../control/page/sendCoalescer.js';

/** A fake clock and timer queue: time moves only when the test says. */
function harness(intervalMs = 50) {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const sent: [string, unknown][] = [];
  const c = new SendCoalescer({
    intervalMs,
    now: () => now,
    schedule: (fn, ms) => timers.push({ at: now + ms, fn }),
    send: (k, v) => sent.push([k, v]),
  });
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { c, sent, advance };
}

describe('SendCoalescer', () => {
  it('sends the first value at once, then the latest once per interval', () => {
    const { c, sent, advance } = harness();
    c.push('gain', 0.1);
    for (let i = 2; i <= 9; i++) { advance(5); c.push('gain', i / 10); }
    expect(sent).toEqual([['gain', 0.1]]);
    advance(10); // 50 ms after the first send
    expect(sent).toEqual([['gain', 0.1], ['gain', 0.9]]);
  });
  it('keeps controls apart', () => {
    const { c, sent } = harness();
    c.push('gain', 1);
    c.push('filter', 0.5);
    expect(sent).toEqual([['gain', 1], ['filter', 0.5]]);
  });
  it('flush sends the waiting value now (a fader let go) and nothing twice', () => {
    const { c, sent, advance } = harness();
    c.push('mix', 0);
    c.push('mix', 0.7);
    c.flush('mix');
    expect(sent).toEqual([['mix', 0], ['mix', 0.7]]);
    advance(100);
    expect(sent.length).toBe(2);
  });
});
