import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../engine/errors.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { openShow } from '../../../engine/show/openShow.js';
import { tempDir } from '../../helpers/fixtures.js';
import { CollectingSink } from '../../helpers/liveFakes.js';

/** A sink that records its lifecycle, at the engine's real sample rate. */
class LifecycleSink extends CollectingSink {
  override readonly sampleRate = 44100 as never;
  constructor(private readonly failStart = false) { super(512, 10 * 44100); }
  override async start(): Promise<void> {
    if (this.failStart) throw new UserError('no audio output to play on');
    await super.start();
  }
}

describe('openShow', () => {
  it('builds a show that plays, and one dispose() releases the output, the workers and the sources', async () => {
    const sink = new LifecycleSink();
    const show = await openShow({ output: { kind: 'host', host: new InlineHost({ sink, offline: true }) } });
    const events: string[] = [];
    const unsubscribe = show.events.subscribe((e) => events.push(e.type));
    const summary = await show.run(2);
    expect(summary.segmentsPlayed).toBe(1);
    expect(sink.left.length).toBeGreaterThanOrEqual(2 * 44100);
    expect(Math.max(...sink.left.slice(0, 44100).map(Math.abs))).toBeGreaterThan(0.1);
    expect(events).toContain('segment-started');
    unsubscribe();
    await show.dispose();
    await show.dispose(); // idempotent
    expect(sink.closed).toBe(true);
    expect(show.events.size).toBe(0);
    // the reconstruction workers are gone: using the pool now fails
    await expect(show.pool.solve({} as never)).rejects.toThrow('ReconstructionPool is disposed');
  });

  it('dispose() during a run ends it', async () => {
    const sink = new LifecycleSink();
    const show = await openShow({ output: { kind: 'host', host: new InlineHost({ sink, offline: true }) } });
    const playing = new Promise<void>((resolve) => show.events.subscribe((e) => { if (e.type === 'segment-started') resolve(); }));
    const run = show.run(Number.POSITIVE_INFINITY);
    await playing;
    await show.dispose();
    const summary = await run;
    expect(summary.durationSeconds).toBeGreaterThan(0);
    expect(sink.closed).toBe(true);
  });

  it('refuses a source that cannot play before creating anything, and removes a new recording folder when the show fails to start', async () => {
    const dir = tempDir();
    await expect(openShow({ output: { kind: 'host', host: new InlineHost({ sink: new LifecycleSink(), offline: true }) }, source: 'diffusion', record: join(dir, 'a') }))
      .rejects.toThrow('--source diffusion: the diffusion source needs models: start with --preset FILE');
    expect(existsSync(join(dir, 'a'))).toBe(false);

    const show = await openShow({ output: { kind: 'host', host: new InlineHost({ sink: new LifecycleSink(true), offline: true }) }, record: join(dir, 'b') });
    expect(existsSync(join(dir, 'b', 'journal.jsonl'))).toBe(true);
    await expect(show.run(1)).rejects.toThrow('no audio output to play on');
    await show.dispose();
    // a retry with the same folder is not refused
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });

  it('records the projector\'s commands, and a rehearsal of the session shows them when they were given', async () => {
    const dir = tempDir();
    const session = join(dir, 'set');
    const script = [
      { at: 0.5, command: { type: 'look', name: 'frame' } as const, line: 1 },
      { at: 1, command: { type: 'visual', name: 'colormap', value: 'ice' } as const, line: 2 },
      { at: 1.5, command: { type: 'blackout', on: true } as const, line: 3 },
    ];
    const show = await openShow({ output: { kind: 'host', host: new InlineHost({ sink: new LifecycleSink(), offline: true }) }, record: session, script });
    await show.run(2);
    await show.dispose();

    const rehearsal = await openShow({ output: { kind: 'host', host: new InlineHost({ sink: new LifecycleSink(), offline: true }) }, session });
    const seen: Array<[number, string]> = [];
    rehearsal.events.subscribe((e) => { if (e.type === 'command-accepted') seen.push([Math.round(e.at * 10) / 10, e.command.type]); });
    await rehearsal.run(2);
    expect(seen).toEqual([[0.5, 'look'], [1, 'visual'], [1.5, 'blackout']]);
    expect(rehearsal.engine.state().visuals).toMatchObject({ look: 'frame', blackout: true, effects: { colormap: 'ice' } });
    await rehearsal.dispose();
  });
});

describe('openShow: a WAV file paced in real time', () => {
  it('is a simulated sound card whose output queue is bufferMs (default 186 ms)', async () => {
    for (const [bufferMs, expected] of [[undefined, 186], [400, 400]] as const) {
      const show = await openShow({ output: { kind: 'wav', path: join(tempDir(), 'paced.wav'), realtime: true, ...(bufferMs ? { bufferMs } : {}) } });
      await show.run(0.5);
      expect(show.host.offline).toBe(false);
      // whole 256-frame chunks: within one chunk (5.8 ms) of what was asked
      expect(Math.abs(show.host.outputLatency * 1000 - expected)).toBeLessThan(256 / 44.1);
      await show.dispose();
    }
  });
});
