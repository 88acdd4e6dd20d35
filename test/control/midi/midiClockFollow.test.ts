import { describe, expect, it } from 'vitest';
import { MidiClock } from '../../../control/midi/midiClock.js';
import { LiveEngine } from '../../../engine/live/liveEngine.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { CollectingSink, VersionSource } from '../../helpers/liveFakes.js';
import { mulberry32 } from '../../helpers/prng.js';

describe('a show following MIDI clock', () => {
  it('takes the tempo of jittery 24 ppqn ticks through the engine\'s smoothing', async () => {
    const clock = new MidiClock({ name: 'Digitakt' });
    const random = mulberry32(3);
    const msPerTick = 60_000 / 132 / 24;
    const sink = new CollectingSink(50); // TEST_RATE: 50 frames = 50 ms per chunk
    const write = sink.write.bind(sink);
    let nowMs = 0;
    let nextTick = 0;
    const sources = new Set<string>();
    sink.write = async (chunk) => {
      nowMs += 50;
      // the ticks that arrived during this chunk, each up to ±2 ms late or early (a busy event loop)
      for (; nextTick * msPerTick <= nowMs; nextTick++) clock.tick(nextTick * msPerTick + (random() - 0.5) * 4);
      await write(chunk);
    };
    const engine = new LiveEngine({ host: new InlineHost({ sink, offline: true, crossfadeFrames: 10 }), source: 'imprint', openSource: async () => new VersionSource(), tempoBpm: 120 });
    clock.handle({ type: 'start' }, 0);
    const stop = engine.follow(clock);
    engine.events.subscribe((e) => {
      if (e.type === 'state') sources.add(e.state.transport.clockSource);
    });
    await engine.run(8);
    expect(Math.abs(engine.state().transport.bpm - 132)).toBeLessThan(0.5);
    expect(sources.has('external:Digitakt')).toBe(true);
    stop();
    expect(engine.state().transport.clockSource).toBe('internal');
  });
});
