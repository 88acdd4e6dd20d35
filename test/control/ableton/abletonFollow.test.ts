import { describe, expect, it } from 'vitest';
import { AbletonClock, BEAT, TEMPO } from '../../../control/ableton/abletonClock.js';
import { wrapPhase } from '../../../engine/clock/phaseFollower.js';
import { LiveEngine } from '../../../engine/live/liveEngine.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { CollectingSink, VersionSource } from '../../helpers/liveFakes.js';
import { mulberry32 } from '../../helpers/prng.js';

describe('a show following Ableton Live', () => {
  it('takes Live\'s tempo and locks its beat grid to Live\'s from tick-late beat messages', async () => {
    const clock = new AbletonClock();
    const random = mulberry32(5);
    const bpm = 128;
    const msPerBeat = 60_000 / bpm;
    const liveStart = 137; // Live's beat 0, ms (= frames at TEST_RATE): off the show's grid
    const tickMs = 100;
    const tickPhase = 37;
    const sink = new CollectingSink(10); // TEST_RATE: 10 frames = 10 ms per chunk
    const write = sink.write.bind(sink);
    let nowMs = 0;
    let beat = 0;
    let nextTick = tickPhase;
    const errors: number[] = [];
    sink.write = async (chunk) => {
      nowMs += 10;
      // Live's ticks during this chunk: each sends the beats that passed since the last one
      for (; nextTick <= nowMs; nextTick += tickMs) {
        for (; liveStart + beat * msPerBeat <= nextTick; beat++) clock.handle(BEAT, [{ type: 'i', value: beat }], nowMs + random() * 2);
      }
      if (nowMs % 1000 === 0) clock.handle(TEMPO, [{ type: 'f', value: bpm }], nowMs);
      const heard = engine.transport.beatAt(nowMs);
      errors.push(wrapPhase(heard - (nowMs - liveStart) / msPerBeat));
      await write(chunk);
    };
    const engine = new LiveEngine({ host: new InlineHost({ sink, offline: true, crossfadeFrames: 10 }), source: 'imprint', openSource: async () => new VersionSource(), tempoBpm: 120 });
    clock.handle(TEMPO, [{ type: 'f', value: bpm }], 0);
    const stop = engine.follow(clock, { latencySeconds: 0.01 });
    await engine.run(40);
    expect(engine.state().transport.bpm).toBe(128);
    expect(engine.state().transport.clockSource).toBe('external:ableton');
    const last = errors.slice(-500); // the last 5 s
    expect(Math.max(...last.map(Math.abs))).toBeLessThan(0.05);
    stop();
  });
});
