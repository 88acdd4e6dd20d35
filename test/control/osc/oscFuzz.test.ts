import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { OSC } from '../../../control/osc/oscCodec.js';
import { OscServer } from '../../../control/osc/oscServer.js';
import type { EngineEvent, EngineState } from '../../../control/protocol/state.js';
import { LiveEngine } from '../../../engine/live/liveEngine.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { showLink } from '../../../engine/show/openShow.js';
import { CollectingSink, VersionSource } from '../../helpers/liveFakes.js';
import { waitUntil } from '../../helpers/oscTools.js';
import { mulberry32 } from '../../helpers/prng.js';

const PACKETS = 10_000;
const BATCH = 50;

const rand = mulberry32(8);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const typed = (address: string, ...args: Array<{ type: string; value: unknown }>) => new OSC.TypedMessage(address, args as never).pack();
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));

/** Valid messages (never sent whole: only cut short), none of them a trigger (an address alone fires one). */
const VALID = [
  typed('/synesthete/gain', { type: 'f', value: 0.5 }),
  typed('/synesthete/prompt/audio', { type: 's', value: 'a steady beat with rain' }),
  typed('/synesthete/freeze', { type: 'T', value: null }),
  typed('/synesthete/quantize', { type: 's', value: 'beat' }),
  typed('/synesthete/tempo', { type: 'f', value: 100 }),
  typed('/synesthete/seed', { type: 'i', value: 5 }),
];
const ADDRESSES = ['/synesthete/gain', '/synesthete/mix', '/synesthete/tempo', '/synesthete/seed', '/synesthete/freeze', '/synesthete/quantize', '/synesthete/prompt/audio', '/synesthete/nudge', '/synesthete/filter', '/synesthete/source'];

/** One malformed or invalid packet: every kind the issue names, at random. */
function badPacket(): Uint8Array {
  switch (int(8)) {
    case 0: return bytes(int(200)); // noise
    case 1: { // a valid message cut short
      const v = pick(VALID);
      return v.slice(0, 1 + int(v.length - 1));
    }
    case 2: { // wrong argument types for the address
      const [address, arg] = pick([
        ['/synesthete/gain', { type: 's', value: 'loud' }], ['/synesthete/prompt/audio', { type: 'i', value: 3 }],
        ['/synesthete/freeze', { type: 'f', value: 0.5 }], ['/synesthete/quantize', { type: 'i', value: 99 }],
        ['/synesthete/seed', { type: 'f', value: 1.5 }], ['/synesthete/tempo', { type: 'T', value: null }],
        ['/synesthete/mix', { type: 'N', value: null }], ['/synesthete/tap', { type: 's', value: 'now' }],
      ] as const);
      return typed(address, arg);
    }
    case 3: { // type tags osc-js cannot read, or more tags than data
      const m = typed(pick(ADDRESSES), { type: 'i', value: 1 });
      const tag = m.indexOf(44); // ','
      const broken = m.slice();
      broken[tag + 1] = pick([0x78, 0x7a, 0x62, 0x21, 0x00, 0xff]); // x z b(lob without data) ! NUL 0xff
      return broken;
    }
    case 4: { // huge strings: too long for the field, or for a packet
      const long = 'x'.repeat(pick([501, 2000, 17_000, 40_000]));
      return rand() < 0.2 ? typed(`/synesthete/${long.slice(0, 3000)}`) : typed('/synesthete/prompt/audio', { type: 's', value: long });
    }
    case 5: { // NaN and infinities, as float, double and Infinitum
      const value = pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      return rand() < 0.2 ? typed(pick(ADDRESSES), { type: 'I', value: null }) : typed(pick(ADDRESSES), { type: pick(['f', 'd']), value });
    }
    case 6: { // out of range, or too many arguments
      return rand() < 0.5
        ? typed(pick(['/synesthete/gain', '/synesthete/mix']), { type: 'f', value: 1.5 + rand() * 100 })
        : typed('/synesthete/gain', { type: 'f', value: 0.5 }, { type: 'f', value: 0.5 });
    }
    default: { // bundles holding the above, or with element sizes that lie
      const bundle = new OSC.Bundle([new OSC.Message('/synesthete/gain', 'loud'), new OSC.Message('/synesthete/nowhere', 1)], Date.now()).pack();
      if (rand() < 0.5) return bundle;
      const lying = bundle.slice();
      new DataView(lying.buffer).setInt32(16, pick([-1, 0x7fffffff, 3, 1_000_000]));
      return lying;
    }
  }
}

/** Every setting a command could change (not the clock's position, which moves on). */
function settings(s: EngineState) {
  return {
    prompts: s.prompts, guidance: s.guidance, tempoBpm: s.tempoBpm, seed: s.seed, mix: s.mix, source: s.source, preset: s.preset, imprint: s.imprint,
    bpm: s.transport.bpm, beatsPerBar: s.transport.beatsPerBar, quantize: s.transport.quantize, clock: s.transport.clockSource, instant: s.instant,
  };
}

describe('OSC fuzz: 10,000 malformed packets over UDP at a playing show', () => {
  it('never crashes or throws, changes nothing, answers within its rate limit, and keeps obeying valid messages', async () => {
    const sink = new CollectingSink(50, 1000);
    const engine = new LiveEngine({ host: new InlineHost({ sink, offline: true }), source: 'imprint', openSource: async () => new VersionSource() });
    const events: EngineEvent[] = [];
    engine.events.subscribe((e) => { if (e.type !== 'state' && e.type !== 'segment-ready' && e.type !== 'segment-started') events.push(e); });
    const playing = new Promise<void>((resolve) => engine.events.subscribe((e) => { if (e.type === 'segment-started') resolve(); }));
    const run = engine.run(Number.POSITIVE_INFINITY);
    await playing;
    // the rate limit has its own test; here every packet must be read
    const osc = await OscServer.open(showLink(engine), { port: 0, maxPacketsPerSecond: 1e6 });
    const before = settings(engine.state());

    // a subscriber, to see the error replies and the feedback
    const client = createSocket('udp4');
    const received: string[] = [];
    client.on('message', (data) => { received.push(data.subarray(0, data.indexOf(0)).toString()); });
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    const send = (data: Uint8Array) => new Promise<void>((resolve) => client.send(data, osc.port, '127.0.0.1', () => resolve()));
    await send(typed('/synesthete/subscribe'));
    await waitUntil(() => osc.stats().subscribers === 1, 'the subscription');

    const started = Date.now();
    // in small batches, each read before the next is sent: the kernel's receive buffer (about
    // 200 KB) would otherwise drop some, and every packet must be seen to be counted
    let sent = 0;
    const drained = () => waitUntil(() => osc.stats().packets === 1 + sent, `packet ${sent} received`);
    while (sent < PACKETS) {
      const batch = Array.from({ length: Math.min(BATCH, PACKETS - sent) }, badPacket);
      for (const big of batch.filter((p) => p.length > 4096)) {
        await send(big);
        sent++;
        await drained();
      }
      const small = batch.filter((p) => p.length <= 4096);
      await Promise.all(small.map(send));
      sent += small.length;
      await drained();
    }
    const seconds = (Date.now() - started) / 1000;

    const stats = osc.stats();
    expect(stats.packets).toBe(PACKETS + 1);
    expect(events.filter((e) => e.type === 'command-accepted').map((e) => JSON.stringify(e.type === 'command-accepted' && e.command))).toEqual([]);
    expect(stats.applied).toBe(0);
    expect(stats.malformed + stats.oversize + stats.refused).toBeGreaterThanOrEqual(PACKETS);
    expect(stats.malformed).toBeGreaterThan(1000);
    expect(stats.oversize).toBeGreaterThan(50);
    expect(settings(engine.state())).toEqual(before);
    expect(events.filter((e) => e.type === 'command-accepted' || e.type === 'warning')).toEqual([]);
    // errors were answered, at most 10 a second to this client
    const errors = received.filter((a) => a === '/synesthete/error').length;
    expect(errors).toBeGreaterThan(0);
    expect(errors).toBeLessThanOrEqual(10 * (Math.ceil(seconds) + 1));

    // still playing, still listening
    await send(typed('/synesthete/gain', { type: 'f', value: 0.5 }));
    await waitUntil(() => engine.state().instant.gain === 0.5, 'a valid message applied after the fuzz');
    await waitUntil(() => received.includes('/synesthete/gain'), 'feedback after the fuzz');
    client.close();
    await osc.dispose();
    engine.stop();
    const summary = await run;
    expect(summary.events.map((e) => `${e.surface} ${e.type}`)).toEqual(['osc gain']);
    expect(summary.underruns).toBe(0);
    console.log(`OSC fuzz: ${PACKETS} packets in ${seconds.toFixed(1)} s (${stats.malformed} malformed, ${stats.oversize} oversize, ${stats.refused} refused), ${errors} error replies`);
  }, 60_000);
});
