import { describe, expect, it } from 'vitest';
import type { EngineCounters } from '../../../control/protocol/state.js';
import { summarise } from '../../../control/protocol/summary.js';

const counters: EngineCounters = {
  underruns: 1,
  deviceUnderruns: 0,
  lateRepeats: 2,
  segmentsGenerated: 10,
  segmentsPlayed: 9,
  supersededRenders: 1,
  failedRenders: 3,
  workerRestarts: 0,
};

describe('summarise', () => {
  it('computes each latency and the maximum over heard events', () => {
    const s = summarise(
      [
        { at: 0, type: 'preset', surface: 'events', audibleAt: 1.2 },
        { at: 1, type: 'prompt', surface: 'events', audibleAt: 4.3 },
        { at: 2, type: 'mix', surface: 'events', audibleAt: 2.5 },
      ],
      counters,
      30,
    );
    expect(s.events.map((e) => e.latencySeconds)).toEqual([1.2, 3.3, 0.5]);
    expect(s.maxEventLatencySeconds).toBe(3.3);
    expect(s.unheardEvents).toBe(0);
  });

  it('reports unheard events, counts them, and leaves them out of the maximum', () => {
    const s = summarise(
      [
        { at: 0, type: 'seed', surface: 'events', audibleAt: 2 },
        { at: 25, type: 'tempo', surface: 'events', audibleAt: null },
        { at: 1, type: 'mix', surface: 'events', audibleAt: 1.5 },
      ],
      counters,
      26,
    );
    expect(s.events).toEqual([
      { at: 0, type: 'seed', surface: 'events', audibleAt: 2, latencySeconds: 2 },
      { at: 25, type: 'tempo', surface: 'events', audibleAt: null, latencySeconds: null },
      { at: 1, type: 'mix', surface: 'events', audibleAt: 1.5, latencySeconds: 0.5 },
    ]);
    expect(s.maxEventLatencySeconds).toBe(2);
    expect(s.unheardEvents).toBe(1);
  });

  it('has no maximum when nothing was heard or nothing was sent', () => {
    expect(summarise([], counters, 10)).toMatchObject({ events: [], maxEventLatencySeconds: null, unheardEvents: 0 });
    const s = summarise([{ at: 3, type: 'seed', surface: 'events', audibleAt: null }], counters, 4);
    expect(s.maxEventLatencySeconds).toBeNull();
    expect(s.unheardEvents).toBe(1);
  });

  it('rounds latencies to the microsecond so JSON shows no float noise', () => {
    const s = summarise([{ at: 1, type: 'seed', surface: 'events', audibleAt: 1.3 }], counters, 2);
    expect(s.events[0]!.latencySeconds).toBe(0.3);
    expect(JSON.stringify(s)).toContain('"latencySeconds":0.3}');
  });

  it('copies the counters and duration, in the documented field order', () => {
    const s = summarise([], counters, 12.5);
    expect(Object.keys(s)).toEqual([
      'durationSeconds',
      'underruns',
      'deviceUnderruns',
      'segmentsGenerated',
      'segmentsPlayed',
      'lateRepeats',
      'supersededRenders',
      'failedRenders',
      'workerRestarts',
      'events',
      'maxEventLatencySeconds',
      'unheardEvents',
      'rejectedCommands',
    ]);
    expect(s).toMatchObject({ durationSeconds: 12.5, ...counters });
  });

  it('does not change its input', () => {
    const events = [{ at: 0, type: 'seed' as const, surface: 'events' as const, audibleAt: 1 }];
    summarise(events, counters, 1);
    expect(events).toEqual([{ at: 0, type: 'seed', surface: 'events', audibleAt: 1 }]);
  });
});
