import { describe, expect, it } from 'vitest';
import type { EngineEvent, ListenEvent } from '../../../../control/protocol/state.js';
import { hzToMel } from '../../../../engine/dsp/melFilterBank.js';
import { Listener, type ListenColumns } from '../../../../engine/live/listen/listener.js';
import { InlineHost } from '../../../../engine/live/playback/inlineHost.js';
import { openShow } from '../../../../engine/show/openShow.js';
import { UserError } from '../../../../engine/errors.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../../../engine/spectrogram/params.js';
import { FakeAudioInput } from '../../../helpers/fakeAudioInput.js';
import { CollectingSink } from '../../../helpers/liveFakes.js';

const RATE = 44100;

/** Interleaved stereo: a tone of `hz` (equal in both channels). */
function tone(hz: number, seconds: number, amplitude = 0.3, from = 0): Float32Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) out[2 * i] = out[2 * i + 1] = amplitude * Math.sin((2 * Math.PI * hz * (from + i)) / RATE);
  return out;
}

/** The image row (0 = top) where the mel scale puts `hz`. */
function rowOf(hz: number): number {
  const p = DEFAULT_SPECTROGRAM_PARAMS;
  return p.numFrequencies - 1 - Math.round((hzToMel(hz) / hzToMel(p.maxFrequency)) * (p.numFrequencies + 1) - 1);
}

/** The darkest row of a listen event's newest column. */
function darkestRow(e: ListenColumns): number {
  const bytes = Buffer.from(e.columns, 'base64');
  const col = bytes.subarray((e.count - 1) * e.height, e.count * e.height);
  let best = 0;
  for (let r = 1; r < col.length; r++) if (col[r]! < col[best]!) best = r;
  return best;
}

describe('Listener (fake input)', () => {
  it('publishes every column once, in order, about 25 times a second, showing the frequency played', async () => {
    const input = new FakeAudioInput();
    const events: ListenColumns[] = [];
    const listener = new Listener({ input, publish: (e) => events.push(e) });
    await listener.start();
    input.feed(tone(1000, 1));
    input.feed(tone(3000, 1));
    const columns = listener.spectrogram.columnCount;
    expect(columns).toBe(Math.floor((2 * RATE - 2205) / 441) + 1);
    let next = 0;
    for (const e of events) {
      expect(e.firstColumn).toBe(next);
      expect(Buffer.from(e.columns, 'base64').length).toBe(e.count * 512);
      expect(e).toMatchObject({ type: 'listen', height: 512, columnsPerSecond: 100 });
      next += e.count;
    }
    expect(next).toBeGreaterThan(columns - 4);
    // 512-frame chunks carry 1.16 columns: events hold 4 or 5 columns, 20-25 a second
    expect(events.length).toBeGreaterThanOrEqual(40);
    expect(events.length).toBeLessThanOrEqual(50);
    expect(Math.abs(darkestRow(events[20]!) - rowOf(1000))).toBeLessThanOrEqual(2);
    expect(Math.abs(darkestRow(events.at(-1)!) - rowOf(3000))).toBeLessThanOrEqual(2);
    // latency: input (20 ms) + the window after the newest column's centre (50 ms) + up to a chunk and a batch
    for (const e of events.slice(1)) {
      expect(e.latency).toBeGreaterThanOrEqual(0.07);
      expect(e.latency).toBeLessThan(0.07 + 0.012 + 0.05);
    }
    await listener.dispose();
    expect(input.closed).toBe(true);
  });

  it('keeps the last 5.12 s as a 512 x 512 sound-picture; nothing is encoded while nobody listens', async () => {
    const input = new FakeAudioInput();
    let published = 0;
    const listener = new Listener({ input, publish: () => published++, wanted: () => false });
    await listener.start();
    input.feed(tone(500, 3));
    expect(listener.picture()).toBeUndefined();
    input.feed(tone(2000, 3, 0.3, 3 * RATE));
    const picture = listener.picture()!;
    expect([picture.width, picture.height]).toEqual([512, 512]);
    // the newest column shows 2 kHz, the oldest (5.12 s ago: during the 500 Hz tone) 500 Hz
    const column = (x: number) => Array.from({ length: 512 }, (_, row) => picture.rgb[(row * 512 + x) * 3]!);
    const darkest = (c: number[]) => c.indexOf(Math.min(...c));
    expect(Math.abs(darkest(column(511)) - rowOf(2000))).toBeLessThanOrEqual(2);
    expect(Math.abs(darkest(column(0)) - rowOf(500))).toBeLessThanOrEqual(2);
    expect(published).toBe(0);
    await listener.dispose();
  });
});

describe('Listener: a silent input', () => {
  it('is reported once per silent stretch', async () => {
    const input = new FakeAudioInput();
    const silences: number[] = [];
    const listener = new Listener({ input, publish: () => undefined, onSilence: (s) => silences.push(s), silenceSeconds: 2 });
    await listener.start();
    input.feed(new Float32Array(2 * RATE * 3));
    expect(silences).toEqual([2]);
    input.feed(tone(440, 1));
    input.feed(new Float32Array(2 * RATE));
    expect(silences).toEqual([2]); // 1 s of silence is a pause, not a dead input
    input.feed(new Float32Array(2 * RATE * 2));
    expect(silences).toEqual([2, 2]);
    expect(listener.heardSeconds).toBeCloseTo(7, 2);
    expect(listener.stats.framesRead).toBe(7 * RATE);
    await listener.dispose();
  });
});

describe('Listener: health for the performer\'s page', () => {
  it('gives the loudest sample since it was last asked, how long the input has been quiet, and its trouble counts', async () => {
    const input = new FakeAudioInput();
    const listener = new Listener({ input, publish: () => undefined });
    await listener.start();
    expect(listener.health()).toEqual({ device: 'fake input', peakDb: null, clipping: false, quietSeconds: 0, overflows: 0, errors: 0 });
    input.feed(tone(440, 1, 0.25));
    expect(listener.health()).toMatchObject({ peakDb: -12, clipping: false, quietSeconds: 0 }); // 20 log10(0.25) = -12.04
    input.feed(tone(440, 0.1, 0.95));
    expect(listener.health()).toMatchObject({ peakDb: 0, clipping: false }); // -0.45 dBFS: loud, not clipped
    expect(listener.health().peakDb).toBeNull(); // nothing heard since
    input.feed(new Float32Array(2 * RATE * 4.5)); // the tone's tail stays in the analysis window for a few columns
    input.stats.overflows = 2;
    expect(listener.health()).toMatchObject({ peakDb: null, quietSeconds: 4, overflows: 2 });
    input.feed(tone(440, 0.1, 1));
    expect(listener.health()).toMatchObject({ peakDb: 0, clipping: true, quietSeconds: 0 });
    await listener.dispose();
  });
});

describe('openShow with listen mode (fake input)', () => {
  it('puts the columns on the show\'s event bus, stamped with the output clock, and imprints the music heard', async () => {
    const input = new FakeAudioInput();
    const sink = new (class extends CollectingSink { override readonly sampleRate = RATE as never; })(512, 20 * RATE);
    const show = await openShow({ output: { kind: 'host', host: new InlineHost({ sink, offline: true }) }, listen: { input } });
    expect(show.listener?.deviceName).toBe('fake input');
    // the health panel knows about the input from the start, before a sound came in
    expect(show.engine.state().health.listen).toEqual({ device: 'fake input', peakDb: null, clipping: false, quietSeconds: 0, overflows: 0, errors: 0 });
    const events: EngineEvent[] = [];
    show.events.subscribe((e) => events.push(e));
    input.feed(tone(1500, 6)); // more than one picture's width heard before the show starts
    const listen = events.filter((e): e is ListenEvent => e.type === 'listen');
    expect(listen.length).toBeGreaterThan(100);
    expect(listen[0]).toMatchObject({ frame: 0, at: 0, position: { bar: 1, beat: 1 } });
    await show.run(1);
    const started = events.find((e) => e.type === 'segment-started');
    expect(started && started.type === 'segment-started' && started.recipe.description).toBe('imprint the music heard on og_beat, k 0.5');
    await show.dispose();
    expect(input.closed).toBe(true);
  });

  it('fails at setup with the input\'s one-line error, having opened nothing else', async () => {
    const input = new (class extends FakeAudioInput {
      override async start(): Promise<void> { throw new UserError('no audio input matches "djm" (1 channel); available: 3 "pulse" (ALSA, 32 ch in)'); }
    })();
    const sink = new (class extends CollectingSink { override readonly sampleRate = RATE as never; })(512, RATE);
    await expect(openShow({ output: { kind: 'host', host: new InlineHost({ sink, offline: true }) }, listen: { input } }))
      .rejects.toThrow(new UserError('no audio input matches "djm" (1 channel); available: 3 "pulse" (ALSA, 32 ch in)'));
    expect(sink.started).toBe(false);
  });
});

