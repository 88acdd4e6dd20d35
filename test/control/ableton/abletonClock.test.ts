import { describe, expect, it } from 'vitest';
import { AbletonClock, BEAT, IS_PLAYING, OLD_BEAT, POLL, SUBSCRIBE, TEMPO } from '../../../control/ableton/abletonClock.js';
import type { ExternalClock } from '../../../engine/clock/externalClock.js';
import { wrapPhase } from '../../../engine/clock/phaseFollower.js';
import { mulberry32 } from '../../helpers/prng.js';

const f = (value: number) => ({ type: 'f', value });
const i = (value: number) => ({ type: 'i', value });

function record(clock: AbletonClock) {
  const tempi: number[] = [];
  const beats: Array<{ beat: number; at: number }> = [];
  let now = 0;
  clock.onTempo((b) => tempi.push(b));
  clock.onBeat((beat) => beats.push({ beat, at: now }));
  /** delivers a message at `at` ms */
  const deliver = (address: string, args: Array<{ type: string; value: unknown }>, at: number) => {
    now = at;
    return clock.handle(address, args, at);
  };
  return { tempi, beats, deliver };
}

/**
 * Live playing at `bpm` from `t0` ms (beat 0 there): beat messages as AbletonOSC sends them, each
 * arriving on the first of Live's ticks (every `tickMs`, at a random phase) after the beat.
 */
function liveBeats(bpm: number, count: number, seed: number, t0 = 0, tickMs = 100, first = 0) {
  const random = mulberry32(seed);
  const msPerBeat = 60_000 / bpm;
  const tickPhase = random() * tickMs;
  return Array.from({ length: count }, (_, k) => {
    const beat = first + k;
    const due = t0 + beat * msPerBeat;
    const arrival = tickPhase + Math.ceil((due - tickPhase) / tickMs) * tickMs + random() * 2; // + ~1 ms of network and event loop
    return { beat, arrival, due };
  });
}

describe('AbletonClock (AbletonOSC messages -> tempo and beat reports)', () => {
  it('is an ExternalClock the show can follow, named ableton', () => {
    const clock: ExternalClock = new AbletonClock();
    expect(clock.name).toBe('ableton');
  });

  it('polls first, and subscribes to tempo, is_playing and beat when Live first answers', () => {
    const clock = new AbletonClock();
    expect(clock.start(0).send).toEqual([POLL]);
    const first = clock.handle(TEMPO, [f(124)], 30);
    expect(first.send).toEqual(SUBSCRIBE);
    expect(first.warning).toBeUndefined();
    expect(SUBSCRIBE.map((m) => m.address)).toEqual(['/live/song/start_listen/tempo', '/live/song/start_listen/is_playing', '/live/song/start_listen/beat']);
    expect(clock.handle(TEMPO, [f(124)], 40).send).toEqual([]);
    expect(clock.connected).toBe(true);
  });

  it('reports Live\'s tempo on every tempo message and again on every beat; the value is the last number', () => {
    const clock = new AbletonClock();
    const { tempi, deliver } = record(clock);
    deliver(TEMPO, [f(124.5)], 0);
    deliver(TEMPO, [i(0), f(126)], 10); // an object id before the value
    deliver(TEMPO, [{ type: 's', value: 'x' }], 20); // no number: ignored
    deliver(TEMPO, [f(Number.NaN)], 20);
    deliver(TEMPO, [f(5000)], 20); // beyond Live's range
    deliver(BEAT, [i(1)], 500);
    deliver(OLD_BEAT, [i(2)], 1000);
    expect(tempi).toEqual([124.5, 126, 126, 126]);
    expect(clock.bpm).toBe(126);
  });

  it('reports raw beat numbers until the tempo is known, from get/beat and the older song/beat', () => {
    const clock = new AbletonClock();
    const { beats, deliver } = record(clock);
    deliver(BEAT, [i(7)], 0);
    deliver(OLD_BEAT, [i(8)], 500);
    deliver(BEAT, [f(Number.POSITIVE_INFINITY)], 600);
    expect(beats.map((b) => b.beat)).toEqual([7, 8]);
  });

  it('takes the beat grid from the least late of the last beats: 4x closer to Live\'s beat than the raw ~100 ms tick', () => {
    const raw: number[] = [];
    const reported: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const clock = new AbletonClock();
      const { beats, deliver } = record(clock);
      deliver(TEMPO, [f(128)], 0);
      const msPerBeat = 60_000 / 128;
      const live = liveBeats(128, 40, seed, 1000);
      for (const b of live) deliver(BEAT, [i(b.beat)], b.arrival);
      // after the pool filled: the phase error of each report against Live's true beat at arrival
      for (let k = 8; k < live.length; k++) {
        const truth = (live[k]!.arrival - 1000) / msPerBeat;
        raw.push(Math.abs(wrapPhase(live[k]!.beat - truth)));
        reported.push(Math.abs(wrapPhase(beats[k]!.beat - truth)));
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    // the raw beat is late by half a tick on average: 50 ms = 0.107 beats at 128 BPM
    expect(mean(raw)).toBeGreaterThan(0.08);
    expect(mean(reported)).toBeLessThan(mean(raw) / 4);
    expect(Math.max(...reported)).toBeLessThan(0.1);
  });

  it('starts the grid over when Live jumps, stops, or changes tempo', () => {
    const clock = new AbletonClock();
    const { beats, deliver } = record(clock);
    deliver(TEMPO, [f(120)], 0);
    // beat 4 was early (on time), beat 5 came 80 ms late: measured from beat 4's grid
    deliver(BEAT, [i(4)], 2000);
    deliver(BEAT, [i(5)], 2580);
    expect(beats[1]!.beat).toBeCloseTo(5.16, 9);
    // a loop back to beat 0 is a jump: its own arrival is the grid
    deliver(BEAT, [i(0)], 3000);
    expect(beats[2]!.beat).toBeCloseTo(0, 9);
    deliver(BEAT, [i(1)], 3580);
    expect(beats[3]!.beat).toBeCloseTo(1.16, 9);
    deliver(TEMPO, [f(121)], 3600);
    deliver(BEAT, [i(2)], 4100);
    expect(beats[4]!.beat).toBeCloseTo(2, 9);
    deliver(IS_PLAYING, [{ type: 'F', value: false }], 4200);
    expect(clock.isPlaying).toBe(false);
    deliver(IS_PLAYING, [i(1)], 5000);
    expect(clock.isPlaying).toBe(true);
    deliver(BEAT, [i(3)], 5600);
    expect(beats[5]!.beat).toBeCloseTo(3, 9);
  });

  it('warns once when Live never answers, once when it answers, once when it goes, once when it is back, re-subscribing', () => {
    const clock = new AbletonClock({ where: 'Ableton Live at 127.0.0.1:11000', timeoutMs: 5000 });
    const warnings: string[] = [];
    const act = (a: { send: readonly unknown[]; warning?: string }) => {
      if (a.warning) warnings.push(a.warning);
      return a.send;
    };
    act(clock.start(0));
    for (let t = 2000; t <= 10_000; t += 2000) expect(act(clock.poll(t))).toEqual([POLL]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Ableton Live at 127\.0\.0\.1:11000 does not answer: is Live running with AbletonOSC selected as a Control Surface/);
    expect(act(clock.handle(TEMPO, [f(120)], 11_000))).toEqual(SUBSCRIBE);
    expect(warnings[1]).toBe('Ableton Live at 127.0.0.1:11000 answers: following its tempo and beat');
    for (let t = 12_000; t <= 15_000; t += 1000) act(clock.poll(t)); // within the timeout of 11 000
    expect(warnings).toHaveLength(2);
    for (let t = 16_000; t <= 30_000; t += 2000) act(clock.poll(t));
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatch(/stopped answering: the show keeps Live's last tempo \(120 BPM\)/);
    expect(clock.connected).toBe(false);
    expect(act(clock.handle(TEMPO, [f(122)], 31_000))).toEqual(SUBSCRIBE);
    expect(warnings[3]).toBe('Ableton Live at 127.0.0.1:11000 answers again: following its tempo and beat');
    expect(act(clock.handle(BEAT, [i(1)], 31_100))).toEqual([]);
    expect(warnings).toHaveLength(4);
  });

  it('is silent when Live answers from the start', () => {
    const clock = new AbletonClock();
    const warnings: string[] = [];
    clock.start(0);
    for (let t = 0; t < 60_000; t += 2000) {
      clock.handle(TEMPO, [f(120)], t + 20);
      const a = clock.poll(t + 2000);
      if (a.warning) warnings.push(a.warning);
    }
    expect(warnings).toEqual([]);
  });
});
