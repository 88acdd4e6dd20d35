import { describe, expect, it } from 'vitest';
import type { AudioSink, SinkStats } from '../../../engine/audio/audioSink.js';
import type { ControlSettings } from '../../../engine/live/controlState.js';
import { LiveEngine } from '../../../engine/live/liveEngine.js';
import type { SegmentDraft } from '../../../engine/live/segment.js';
import type { SegmentSource } from '../../../engine/live/segmentSource.js';
import type { EngineEvent } from '../../../control/commands/engineState.js';

const RATE = 1000; // a small sample rate keeps the arithmetic readable
const SEGMENT = 500; // frames per segment: 0.5 s

/**
 * Collects what the engine plays. Unpaced by default (a test runs as fast as the engine can go);
 * `speed` paces it like a device running `speed` times faster than real time.
 */
class CollectingSink implements AudioSink {
  constructor(private readonly speed?: number) {}
  readonly sampleRate = RATE;
  readonly channels = 2;
  readonly framesPerChunk = 50;
  readonly stats: SinkStats = { underflows: 0, framesWritten: 0, errors: 0 };
  readonly left: number[] = [];
  async start(): Promise<void> {}
  async write(chunk: Float32Array): Promise<void> {
    for (let f = 0; f < this.framesPerChunk; f++) this.left.push(chunk[2 * f]!);
    this.stats.framesWritten += this.framesPerChunk;
    // let the generator loop run between chunks, as a paced device would
    if (this.speed) await new Promise((r) => setTimeout(r, (this.framesPerChunk / RATE) * 1000 / this.speed!));
    else await new Promise((r) => setImmediate(r));
  }
  async close(): Promise<void> {}
}

/** Segments whose samples all equal 1 + the control version they were rendered for. */
class VersionSource implements SegmentSource {
  readonly name = 'imprint' as const;
  renders = 0;
  constructor(private readonly delayMs = 0) {}
  async render(settings: Readonly<ControlSettings>): Promise<SegmentDraft> {
    this.renders++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const audio = new Float32Array(SEGMENT).fill(1 + settings.version);
    return {
      picture: { width: 1, height: 1, rgb: new Uint8Array(3) }, audio: [audio, audio],
      recipe: { source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: 0, description: `v${settings.version}` },
    };
  }
  async dispose(): Promise<void> {}
}

function engineWith(source: SegmentSource, options: { wait?: boolean; speed?: number } = {}) {
  const sink = new CollectingSink(options.speed);
  const events: EngineEvent[] = [];
  const engine = new LiveEngine({
    sink, source: 'imprint', openSource: async () => source, crossfadeFrames: 10,
    waitForSegments: options.wait ?? true, onEvent: (e) => events.push(e),
  });
  return { sink, engine, events };
}

describe('LiveEngine', () => {
  it('plays segments back to back and makes a command audible at the next boundary', async () => {
    const { sink, engine } = engineWith(new VersionSource());
    engine.schedule([{ at: 0.7, line: 1, command: { type: 'seed', value: 5 } }]);
    const summary = await engine.run(2);
    expect(sink.left).toHaveLength(2000);
    // no gap anywhere: every sample comes from a segment
    expect(sink.left.every((v) => v > 0)).toBe(true);
    // version 0 until the boundary after the command (at 1.0 s), then version 1 (after a 10-frame crossfade)
    expect(sink.left[999]).toBe(1);
    expect(sink.left[1010]).toBe(2);
    expect(summary.events).toEqual([expect.objectContaining({ type: 'seed', audibleAt: 1, latencySeconds: 0.3 })]);
    expect(summary.maxEventLatencySeconds).toBeCloseTo(0.3, 6);
    expect(summary.segmentsPlayed).toBe(4);
    expect(summary.underruns).toBe(0);
  });

  it('rejects a malformed command with a reason and changes nothing', async () => {
    const { engine, events } = engineWith(new VersionSource());
    expect(engine.command({ type: 'mix', value: 7 })).toEqual({ ok: false, reason: expect.stringContaining('mix.value') });
    expect(engine.command('{"type":"volume"}')).toMatchObject({ ok: false });
    expect(engine.state().mix).toBe(0.5);
    expect(events.filter((e) => e.type === 'command-rejected')).toHaveLength(2);
    expect(engine.command({ type: 'mix', value: 0.2 })).toEqual({ ok: true });
    expect(engine.state().mix).toBe(0.2);
  });

  it('when generation is late in real time, repeats the current segment instead of falling silent, and says so', async () => {
    // each render takes 80 ms = 0.8 s of audio at 10x: longer than a 0.5 s segment
    const { sink, engine, events } = engineWith(new VersionSource(80), { wait: false, speed: 10 });
    const summary = await engine.run(3);
    const firstSound = sink.left.findIndex((v) => v > 0);
    expect(firstSound).toBeGreaterThanOrEqual(0);
    expect(sink.left.slice(firstSound).every((v) => v > 0)).toBe(true);
    expect(summary.lateSegments).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'warning' && e.message.includes('repeats'))).toBe(true);
  });

  it('keeps playing when the source fails, and reports the dropped segment', async () => {
    let calls = 0;
    const flaky: SegmentSource = {
      name: 'imprint',
      render: async (s) => {
        calls++;
        if (calls === 2) throw new Error('worker crashed');
        return new VersionSource().render(s);
      },
      dispose: async () => {},
    };
    const { sink, engine, events } = engineWith(flaky);
    const summary = await engine.run(2);
    expect(sink.left.every((v) => v > 0)).toBe(true);
    expect(summary.droppedSegments).toBeGreaterThanOrEqual(1);
    expect(events.some((e) => e.type === 'warning' && e.message.includes('worker crashed'))).toBe(true);
  });
});
