import { createSocket } from 'node:dgram';
import { OSC, decodePacket } from '../../../control/osc/oscCodec.js';
import { afterEach, describe, expect, it } from 'vitest';
import { OscServer, oscSurface } from '../../../control/osc/oscServer.js';
import type { EngineEvent } from '../../../control/protocol/state.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { type Show, openShow } from '../../../engine/show/openShow.js';
import { CollectingSink } from '../../helpers/liveFakes.js';
import { OscDump, oscsend, waitUntil } from '../../helpers/oscTools.js';

/** A show that is open but not playing: commands apply and state changes, nothing renders. */
async function showWithOsc(options: Partial<Parameters<typeof oscSurface>[0]> = {}) {
  const sink = new CollectingSink(512, 1000);
  const show = await openShow({ output: { kind: 'host', host: new InlineHost({ sink, offline: true }) }, surfaces: [oscSurface({ port: 0, ...options })], onWarning: () => {} });
  const events: EngineEvent[] = [];
  show.events.subscribe((e) => events.push(e));
  cleanup.push(() => show.dispose());
  return { show, osc: show.surfaces[0] as OscServer, events };
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const accepted = (events: EngineEvent[]) => events.flatMap((e) => (e.type === 'command-accepted' ? [`${e.surface} ${e.command.type}`] : []));

describe('OSC surface over real UDP (liblo oscsend/oscdump)', () => {
  it('oscsend changes the show: prompt, gain, freeze, tap, quantize by index', async () => {
    const { show, osc, events } = await showWithOsc();
    expect(osc.description).toBe(`OSC on 127.0.0.1:${osc.port}`);
    await oscsend(osc.port, '/synesthete/prompt/audio', 's', 'rain on a tin roof, été');
    await oscsend(osc.port, '/synesthete/gain', 'f', 0.25);
    await oscsend(osc.port, '/synesthete/freeze', 'T');
    await oscsend(osc.port, '/synesthete/tap');
    await oscsend(osc.port, '/synesthete/quantize', 'i', 1);
    await waitUntil(() => osc.stats().applied === 5, 'five commands applied');
    const state = show.engine.state();
    expect(state.prompts.audio).toBe('rain on a tin roof, été');
    expect(state.instant).toEqual({ gain: 0.25, filter: 0, freeze: true });
    expect(state.transport.quantize).toBe('beat');
    expect(accepted(events)).toEqual(['osc prompt', 'osc gain', 'osc freeze', 'osc tap', 'osc quantize']);
  });

  it('sends state to a subscriber (oscdump) and answers a refused message on /synesthete/error', async () => {
    const { show, osc, events } = await showWithOsc();
    const dump = await OscDump.start();
    cleanup.push(() => dump.stop());
    await oscsend(osc.port, '/synesthete/subscribe', 'i', dump.port);
    // the whole state at once
    await dump.waitFor('/synesthete/gain', '1.000000');
    await dump.waitFor('/synesthete/quantize', '"bar"');
    await dump.waitFor('/synesthete/state/bar', '1');
    await dump.waitFor('/synesthete/state/beat', '1');
    await dump.waitFor('/synesthete/state/ahead', '0.000000');
    // a change from any surface is sent on its own address
    show.engine.command({ type: 'gain', value: 0.5 }, 'api');
    await dump.waitFor('/synesthete/gain', '0.500000');
    await oscsend(osc.port, '/synesthete/filter', 'f', -0.5);
    await dump.waitFor('/synesthete/filter', '-0.500000');
    // refused: the reason comes back, the state stays
    await oscsend(osc.port, '/synesthete/gain', 'f', 7);
    const error = await dump.waitFor('/synesthete/error', (v) => v.includes('must be at most 1'));
    expect(error.values).toBe('"/synesthete/gain: must be at most 1 (got 7)"');
    await oscsend(osc.port, '/synesthete/volume', 'f', 1);
    await dump.waitFor('/synesthete/error', (v) => v.includes('/synesthete/volume') && v.includes('unknown address'));
    expect(show.engine.state().instant.gain).toBe(0.5);
    expect(events.filter((e) => e.type === 'command-rejected')).toHaveLength(0); // refused before the engine
    expect(osc.stats()).toMatchObject({ applied: 1, refused: 2, subscribers: 1 });
    // unsubscribed: no more feedback
    await oscsend(osc.port, '/synesthete/unsubscribe', 'i', dump.port);
    await waitUntil(() => osc.stats().subscribers === 0, 'the unsubscribe');
    const before = dump.messages.length;
    show.engine.command({ type: 'gain', value: 0.75 }, 'api');
    await new Promise((r) => setTimeout(r, 200));
    expect(dump.messages.slice(before).filter((m) => m.address === '/synesthete/gain')).toEqual([]);
  });

  it('rate-limits feedback: a burst of changes becomes the latest value, not a burst of messages', async () => {
    const { show, osc } = await showWithOsc({ feedbackIntervalMs: 50 });
    const client = createSocket('udp4');
    const gains: number[] = [];
    client.on('message', (data) => {
      const decoded = decodePacket(data);
      if (decoded.ok) for (const m of decoded.messages) if (m.address === '/synesthete/gain') gains.push(m.args[0]!.value as number);
    });
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    cleanup.push(() => client.close());
    await new Promise<void>((resolve) => client.send(new OSC.Message('/synesthete/subscribe').pack(), osc.port, '127.0.0.1', () => resolve()));
    await waitUntil(() => gains.length === 1, 'the first snapshot');
    for (let k = 1; k <= 200; k++) show.engine.command({ type: 'gain', value: k / 200 }, 'api');
    await waitUntil(() => gains.at(-1) === 1, 'the last value');
    await new Promise((r) => setTimeout(r, 150));
    expect(gains.length).toBeLessThanOrEqual(3); // the snapshot, maybe the first change, the latest
    expect(gains.at(-1)).toBe(1);
  });

  it('sends feedback to --osc-feedback destinations without a subscribe', async () => {
    const dump = await OscDump.start();
    cleanup.push(() => dump.stop());
    const { show } = await showWithOsc({ feedback: [{ host: '127.0.0.1', port: dump.port }] });
    show.engine.command({ type: 'tempo', bpm: 97 }, 'api');
    await dump.waitFor('/synesthete/tempo', '97.000000');
  });

  it('applies a bundle\'s messages at once and in order, whatever its timetag', async () => {
    const { show, osc, events } = await showWithOsc();
    const bundle = new OSC.Bundle([new OSC.Message('/synesthete/gain', 0.1), new OSC.Message('/synesthete/mix', 0.3), new OSC.Message('/synesthete/gain', 0.2)], Date.now() + 60_000);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.send(bundle.pack(), osc.port, '127.0.0.1', () => resolve()));
    socket.close();
    await waitUntil(() => osc.stats().applied === 3, 'the bundle applied');
    expect(accepted(events)).toEqual(['osc gain', 'osc mix', 'osc gain']);
    expect(show.engine.state().instant.gain).toBe(0.2);
    expect(show.engine.state().mix).toBe(0.3);
  });

  it('bound beyond localhost, accepts only this machine and --osc-allow, and counts the others', async () => {
    const { show, osc } = await showWithOsc({ bind: '0.0.0.0', allow: ['127.0.0.3'] });
    const from = async (address: string, value: number) => {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, address, resolve));
      await new Promise<void>((resolve) => socket.send(new OSC.Message('/synesthete/gain', value).pack(), osc.port, '127.0.0.1', () => resolve()));
      socket.close();
    };
    await from('127.0.0.2', 0.5); // elsewhere, not allowed
    await waitUntil(() => osc.stats().foreign === 1, 'the foreign packet counted');
    expect(show.engine.state().instant.gain).toBe(1);
    await from('127.0.0.3', 0.25); // allowed
    await from('127.0.0.1', 0.75); // this machine
    await waitUntil(() => osc.stats().applied === 2, 'the allowed packets applied');
    expect(show.engine.state().instant.gain).toBe(0.75);
  });

  it('drops what a sender sends beyond its rate, warns once, and goes on; another app on the same machine is heard meanwhile', async () => {
    const warnings: string[] = [];
    let now = 5_000_000;
    const { show, osc } = await showWithOsc({ maxPacketsPerSecond: 100, now: () => now });
    show.events.subscribe((e) => { if (e.type === 'warning') warnings.push(e.message); });
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const packets = Array.from({ length: 300 }, (_, k) => new OSC.Message('/synesthete/gain', k < 100 ? 0.5 : 0.25).pack());
    // sent in small groups, each read before the next: the kernel's buffer must not drop any
    for (let k = 0; k < packets.length; k += 20) {
      await Promise.all(packets.slice(k, k + 20).map((p) => new Promise<void>((resolve) => socket.send(p, osc.port, '127.0.0.1', () => resolve()))));
      await waitUntil(() => osc.stats().packets === k + 20, 'the group read');
    }
    // all within one second of the (fake) clock: the first 100 are read, the rest dropped unread
    expect(osc.stats()).toMatchObject({ applied: 100, flooded: 200 });
    expect(show.engine.state().instant.gain).toBe(0.5);
    expect(warnings).toEqual(['OSC from 127.0.0.1: more than 100 packets a second from one app (or 400 from the address); the excess is dropped']);
    // the same second, another app (its own port) is heard
    await oscsend(osc.port, '/synesthete/gain', 'f', 0.125);
    await waitUntil(() => show.engine.state().instant.gain === 0.125, 'another app during the flood');
    // a script that opens a new socket (a new port) per burst is cut at 4 apps' worth from its address
    for (let k = 0; k < 20; k++) {
      const burst = createSocket('udp4');
      await new Promise<void>((resolve) => burst.bind(0, '127.0.0.1', resolve));
      const before = osc.stats().packets;
      await Promise.all(Array.from({ length: 20 }, () => new Promise<void>((resolve) => burst.send(new OSC.Message('/synesthete/filter', 0.5).pack(), osc.port, '127.0.0.1', () => resolve()))));
      await waitUntil(() => osc.stats().packets === before + 20, 'the burst read');
      burst.close();
    }
    // the flooder's dropped packets do not count against its address: 101 read from it so far this
    // second, so 299 of the 400 in bursts are read, the other 101 dropped
    expect(osc.stats()).toMatchObject({ applied: 100 + 1 + 299, flooded: 200 + 101 });
    // the next second, the flooder is heard again
    now += 1000;
    await new Promise<void>((resolve) => socket.send(new OSC.Message('/synesthete/gain', 0.375).pack(), osc.port, '127.0.0.1', () => resolve()));
    await waitUntil(() => show.engine.state().instant.gain === 0.375, 'the flooder after its second');
    socket.close();
  });

  it('refuses to start on a port in use, with one line, and releases the show', async () => {
    const { osc } = await showWithOsc();
    const sink = new CollectingSink(512, 1000);
    await expect(openShow({ output: { kind: 'host', host: new InlineHost({ sink, offline: true }) }, surfaces: [oscSurface({ port: osc.port })] }))
      .rejects.toThrow(`OSC on 127.0.0.1:${osc.port}: the port is in use (another show? choose --osc-port N, or --no-osc)`);
    expect(sink.closed).toBe(true);
  });

  it('is closed by the show\'s dispose()', async () => {
    const { show, osc } = await showWithOsc();
    const port = osc.port;
    await show.dispose();
    // the port is free again: a new server can bind it
    const again = await OscServer.open({ command: () => ({ ok: true }), state: () => show.engine.state(), clock: () => show.engine.clock(), subscribe: () => () => {}, warn: () => {} }, { port });
    expect(again.port).toBe(port);
    await again.dispose();
  });
});
