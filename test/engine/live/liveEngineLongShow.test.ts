import { describe, expect, it } from 'vitest';
import { LiveEngine } from '../../../engine/live/liveEngine.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { CollectingSink, VersionSource } from '../../helpers/liveFakes.js';

describe('a show steered for hours', () => {
  it('keeps its summary bounded: past 100,000 commands the oldest are counted, not listed', async () => {
    const engine = new LiveEngine({ host: new InlineHost({ sink: new CollectingSink(50, 1000), offline: true }), source: 'imprint', openSource: async () => new VersionSource() });
    // a fader dragged at 60 messages a second for about half an hour
    let accepted = 0;
    for (let i = 0; i < 110_001; i++) if (engine.command({ type: 'gain', value: (i % 100) / 100 }, 'web').ok) accepted++;
    expect(accepted).toBe(110_001);
    const summary = await engine.run(0.05);
    expect(summary.omittedEvents).toBe(20_000);
    expect(summary.events).toHaveLength(90_001);
    expect(summary.events.at(-1)).toMatchObject({ type: 'gain', surface: 'web' });
    // instant controls are all heard (the last ones once the output starts)
    expect(summary.unheardEvents).toBe(0);
  });
});
