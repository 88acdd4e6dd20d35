import { describe, expect, it } from 'vitest';
import { PlayheadPredictor } from '../../../visuals/sync/playheadPredictor.js';
import { mulberry32 } from '../../helpers/prng.js';

const RATE = 44100;
const PER_MS = RATE / 1000;

/**
 * A synthetic show: the heard frame is exact at every moment (`truth`), the sink reports it in
 * 512-frame steps, and each clock message arrives 0–`jitterMs` late. Clock messages come every
 * 50 ms; the page asks for the frame at every 60 Hz vsync.
 */
function simulate(options: { seconds: number; jitterMs: number; offsetFrames?: number; drift?: number; seed?: number }) {
  const random = mulberry32(options.seed ?? 1);
  const truth = (ms: number) => (options.offsetFrames ?? 0) + ms * PER_MS * (1 + (options.drift ?? 0));
  const predictor = new PlayheadPredictor();
  const messages: Array<{ atMs: number; frame: number }> = [];
  for (let sent = 0; sent < options.seconds * 1000; sent += 50) {
    messages.push({ atMs: sent + random() * options.jitterMs, frame: Math.floor(truth(sent) / 512) * 512 });
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
  it('predicts the heard frame within a few ms of the truth through jitter and the sink\'s 512-frame steps', () => {
    const { errors } = simulate({ seconds: 30, jitterMs: 15 });
    // one video frame at 60 Hz is 16.7 ms; the jitter alone is up to 15 ms
    expect(Math.max(...errors)).toBeLessThan(12);
  });

  it('never goes back, and moves smoothly (no step larger than 10 % off the frame interval)', () => {
    const { frames } = simulate({ seconds: 20, jitterMs: 40, seed: 7 });
    const interval = PER_MS * (1000 / 60);
    for (let i = 1; i < frames.length; i++) {
      const step = frames[i]! - frames[i - 1]!;
      expect(step).toBeGreaterThanOrEqual(0);
      if (i > 2) expect(Math.abs(step - interval)).toBeLessThanOrEqual(interval * 0.1);
    }
  });

  it('follows an audio clock that runs 0.1 % fast (a sound card\'s crystal against the page\'s)', () => {
    const { errors } = simulate({ seconds: 60, jitterMs: 10, drift: 0.001 });
    expect(Math.max(...errors.slice(-600))).toBeLessThan(12);
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
