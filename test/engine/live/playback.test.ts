import { describe, expect, it } from 'vitest';
import { Playback, type PlaybackSegment } from '../../../engine/live/playback/playback.js';

const RATE = 1000;

/** A segment whose every sample is `value` (left) and -value (right). */
function flat(id: number, value: number, frames: number, fittedBpm: number | null = null): PlaybackSegment {
  return { id, audioId: id, audio: [new Float32Array(frames).fill(value), new Float32Array(frames).fill(-value)], fittedBpm };
}

/** A ramp 0, 1, 2, ... (left), so positions can be read back from the output. */
function ramp(id: number, frames: number, fittedBpm: number | null = null): PlaybackSegment {
  const x = Float32Array.from({ length: frames }, (_, i) => i);
  return { id, audioId: id, audio: [x, x], fittedBpm };
}

/** Plays `frames` frames in chunks of `chunk`, returns the left channel. */
function play(p: Playback, frames: number, chunk = 50): number[] {
  const out: number[] = [];
  const buf = new Float32Array(chunk * 2);
  for (let done = 0; done < frames; done += chunk) {
    const n = Math.min(chunk, frames - done);
    p.fill(buf, n);
    for (let f = 0; f < n; f++) out.push(buf[2 * f]!);
  }
  return out;
}

describe('Playback', () => {
  it('plays queued segments back to back, silent only before the first', () => {
    const p = new Playback({ sampleRate: RATE, crossfadeFrames: 10 });
    p.enqueue(flat(1, 1, 300), { kind: 'boundary' });
    p.enqueue(flat(2, 2, 300), { kind: 'boundary' });
    const out = play(p, 700);
    expect(out[0]).toBe(1);
    expect(out[299]).toBe(1);
    expect(out[310]).toBe(2);
    // after the queue runs dry the last segment loops: never silent once started
    expect(out.slice(600, 700).every((v) => v === 2)).toBe(true);
    const starts = p.notes.filter((n) => n.type === 'started');
    expect(starts.map((n) => [n.frame, n.segmentId, n.repeat, n.type === 'started' && n.late])).toEqual([[0, 1, false, false], [300, 2, false, false], [600, 2, true, true]]);
  });

  it('starts a queued segment exactly at its frame, mid-segment, fading the outgoing one from where it was', () => {
    const p = new Playback({ sampleRate: RATE, crossfadeFrames: 100 });
    p.enqueue(ramp(1, 1000), { kind: 'boundary' });
    play(p, 200);
    p.enqueue(flat(2, 5000, 1000), { kind: 'frame', frame: 437 }, true);
    const out = play(p, 400).slice(0, 400); // frames 200..599
    // before the start: exactly the ramp
    expect(out[236]).toBe(436);
    // the first new sample is frame 437: the fade-in has begun there and not before
    expect(out[237]).not.toBe(437);
    expect(out[237]).toBeGreaterThan(437);
    // the outgoing ramp continues from where it was under the fade (equal power: cos^2 + sin^2 = 1)
    const k = 50;
    const theta = ((k + 0.5) / 100) * (Math.PI / 2);
    expect(out[237 + k]!).toBeCloseTo(5000 * Math.sin(theta) + (437 + k) * Math.cos(theta), 1);
    expect(out[237 + 100]).toBe(5000);
  });

  it('holds the playing loop while frozen and starts nothing queued until released', () => {
    const p = new Playback({ sampleRate: RATE, crossfadeFrames: 1 });
    p.enqueue(flat(1, 1, 100), { kind: 'boundary' });
    p.at(50, { kind: 'freeze', on: true });
    p.enqueue(flat(2, 2, 100), { kind: 'boundary' });
    p.enqueue(flat(3, 3, 100), { kind: 'frame', frame: 150 });
    const out = play(p, 400);
    expect(out.slice(0, 400).every((v) => v === 1)).toBe(true);
    const repeats = p.notes.filter((n) => n.type === 'started' && n.repeat);
    expect(repeats.every((n) => n.type === 'started' && n.frozen && !n.late)).toBe(true);
    expect(repeats.length).toBe(3);
    p.notes = [];
    p.at(400, { kind: 'freeze', on: false });
    const after = play(p, 50);
    // released: the queue moves on at once (segment 2 at the loop's end, segment 3's frame is long past)
    const started = p.notes.filter((n) => n.type === 'started' && !n.repeat).map((n) => n.type === 'started' && n.segmentId);
    expect(started).toEqual([2, 3]);
    expect(after[10]).toBe(3);
  });

  it('applies an op at its exact frame, whatever the chunk size', () => {
    const run = (chunk: number) => {
      const p = new Playback({ sampleRate: RATE, crossfadeFrames: 10 });
      p.enqueue(flat(1, 0.5, 1000), { kind: 'boundary' });
      p.at(123, { kind: 'instant', gain: 0 });
      p.at(321, { kind: 'instant', gain: 1, filter: -0.7 });
      p.at(600, { kind: 'instant', filter: 0.4 });
      return play(p, 1200, chunk);
    };
    const a = run(50), b = run(37 * 2), c = run(400);
    expect(a).toEqual(b);
    expect(a).toEqual(c);
    // gain reaches 0 within its 5 ms ramp after frame 123 and not before
    expect(a[122]).toBe(0.5);
    expect(a[130]).toBe(0);
  });

  it('retimes a fitted segment to a tempo within 2 %, and plays one further off at its own rate', () => {
    const p = new Playback({ sampleRate: RATE, crossfadeFrames: 1 });
    p.enqueue(ramp(1, 1000, 120), { kind: 'boundary' });
    p.at(0, { kind: 'tempo', bpm: 121.2 }); // +1 %
    const out = play(p, 200);
    expect(out[100]).toBeCloseTo(101, 6);
    expect(p.framesOf(ramp(9, 1000, 120))).toBe(Math.round(1000 / 1.01));
    p.at(200, { kind: 'tempo', bpm: 130 }); // +8 %: not retimed (re-fitted by the engine instead)
    const later = play(p, 100);
    expect(later[10]! - later[9]!).toBeCloseTo(1, 6);
  });

  it('bends the rate to move the music ahead by a nudge, then returns to normal speed', () => {
    const p = new Playback({ sampleRate: RATE, crossfadeFrames: 1 });
    p.enqueue(ramp(1, 100000), { kind: 'boundary' });
    p.at(0, { kind: 'bend', frames: 40 });
    const out = play(p, 1000);
    expect(out[999]).toBeCloseTo(999 + 40, 6);
    // never faster than 8 %
    for (let i = 1; i < out.length; i++) expect(out[i]! - out[i - 1]!).toBeLessThanOrEqual(1.08 + 1e-4);
  });

  it('does not crossfade a segment with the same audio (an unchanged imprint continues seamlessly)', () => {
    const p = new Playback({ sampleRate: RATE, crossfadeFrames: 50 });
    const a = ramp(1, 100);
    p.enqueue(a, { kind: 'boundary' });
    p.enqueue({ ...a, id: 2 }, { kind: 'boundary' });
    const out = play(p, 200);
    expect(out.slice(100, 110)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('ends in silence after the last segment once told no more will come', () => {
    const p = new Playback({ sampleRate: RATE, crossfadeFrames: 1 });
    p.enqueue(flat(1, 1, 100), { kind: 'boundary' });
    p.end();
    const out = play(p, 200);
    expect(out[99]).toBe(1);
    expect(out.slice(100).every((v) => v === 0)).toBe(true);
  });
});
