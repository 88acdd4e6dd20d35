import { describe, expect, it } from 'vitest';
import { PlayheadPredictor } from '../../../visuals/sync/playheadPredictor.js';
import { mulberry32 } from '../../helpers/prng.js';

const RATE = 44100;
const PER_MS = RATE / 1000;

/**
 * A synthetic show: the heard frame is exact at every moment (`truth`); the engine's report of it
 * wobbles by up to ±`wobbleMs` (its extrapolation of the audio thread), and each clock message
 * arrives 0–`jitterMs` late. Clock messages come every 50 ms; the page asks for the frame at every
 * 60 Hz vsync.
 */
function simulate(options: { seconds: number; jitterMs: number; wobbleMs?: number; offsetFrames?: number; drift?: number; seed?: number }) {
  const random = mulberry32(options.seed ?? 1);
  const truth = (ms: number) => (options.offsetFrames ?? 0) + ms * PER_MS * (1 + (options.drift ?? 0));
  const predictor = new PlayheadPredictor();
  const messages: Array<{ atMs: number; frame: number }> = [];
  for (let sent = 0; sent < options.seconds * 1000; sent += 50) {
    const wobble = (random() * 2 - 1) * (options.wobbleMs ?? 20) * PER_MS;
    messages.push({ atMs: sent + random() * options.jitterMs, frame: Math.round(truth(sent) + wobble) });
  }
  messages.sort((a, b) => a.atMs - b.atMs);
  const errors: number[] = [];
  const frames: number[] = [];
  let m = 0;
  for (let vsync = 0; vsync < options.seconds * 1000; vsync += 1000 / 60) {
    while (m < messages.length && messages[m]!.atMs <= vsync) predictor.clock(messages[m]!.frame, RATE, messages[m++]!.atMs);
    if (!predictor.ready) continue;
    const predicted = predictor.predict(vsync);
    frames.push(predicted);
    if (vsync > 3000) errors.push(Math.abs(predicted - truth(vsync)) / PER_MS);
  }
  return { errors, frames };
}

describe('PlayheadPredictor', () => {
  it('predicts the heard frame within a video frame of the truth through a wobbling report and late messages', () => {
    const { errors } = simulate({ seconds: 30, jitterMs: 10, wobbleMs: 20 });
    // one video frame at 60 Hz is 16.7 ms; the report alone wobbles by up to 20 ms
    expect(Math.max(...errors)).toBeLessThan(1000 / 60);
  });

  it('never goes back, and moves smoothly (no step more than 12 % off the frame interval: 10 % steering, the fitted rate within 2 %)', () => {
    const { frames } = simulate({ seconds: 20, jitterMs: 40, seed: 7 });
    const interval = PER_MS * (1000 / 60);
    for (let i = 1; i < frames.length; i++) {
      const step = frames[i]! - frames[i - 1]!;
      expect(step).toBeGreaterThanOrEqual(0);
      if (i > 2) expect(Math.abs(step - interval)).toBeLessThanOrEqual(interval * 0.12);
    }
  });

  it('follows an audio clock that runs 0.1 % fast (a sound card\'s crystal against the page\'s)', () => {
    const { errors } = simulate({ seconds: 60, jitterMs: 10, drift: 0.001 });
    expect(Math.max(...errors.slice(-600))).toBeLessThan(12);
  });

  it('with the server\'s send time, a page too busy to read its messages for 300 ms at a time stays within a video frame', () => {
    const random = mulberry32(3);
    const p = new PlayheadPredictor();
    // the server's clock is 5 s behind the page's; the page reads its messages only between
    // frames that take up to 300 ms
    const serverMs = (pageMs: number) => pageMs - 5000;
    const errors: number[] = [];
    let next = 0;
    let pending: Array<{ frame: number; sentAt: number }> = [];
    for (let page = 0; page < 20_000; ) {
      while (next <= page) {
        pending.push({ frame: Math.round(next * PER_MS + (random() * 2 - 1) * 5 * PER_MS), sentAt: serverMs(next) });
        next += 50;
      }
      for (const m of pending) p.clock(m.frame, RATE, page + random() * 2, m.sentAt);
      pending = [];
      if (page > 3000) errors.push(Math.abs(p.predict(page + 16.7) - (page + 16.7) * PER_MS) / PER_MS);
      else p.predict(page + 16.7);
      page += 16.7 + random() * 300;
    }
    expect(Math.max(...errors)).toBeLessThan(1000 / 60);
  });

  it('follows an audio clock 3 % slow (a starved machine playing a WAV in real time) without drifting ahead', () => {
    const { errors } = simulate({ seconds: 40, jitterMs: 10, wobbleMs: 10, drift: -0.03 });
    expect(Math.max(...errors.slice(-600))).toBeLessThan(1000 / 60);
  });

  it('takes a new show (the frame far behind) at once instead of steering for seconds', () => {
    const p = new PlayheadPredictor();
    p.clock(10 * RATE, RATE, 0);
    expect(p.predict(100)).toBeCloseTo(10 * RATE + 100 * PER_MS, 6);
    p.clock(0, RATE, 200);
    expect(p.predict(216)).toBeCloseTo(16 * PER_MS, 6);
  });

  it('holds still a second after the last clock message (the show ended or the link dropped)', () => {
    const p = new PlayheadPredictor({ holdAfterMs: 1000 });
    p.clock(0, RATE, 0);
    expect(p.predict(5000)).toBeCloseTo(1000 * PER_MS, 6);
    expect(p.predict(6000)).toBeCloseTo(1000 * PER_MS, 6);
  });
});
