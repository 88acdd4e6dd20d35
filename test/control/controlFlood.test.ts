import { execFile } from 'node:child_process';
import { type Socket, createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMessage } from '../../control/osc/oscCodec.js';
import { type OscServer, oscSurface } from '../../control/osc/oscServer.js';
import { QUANTA } from '../../control/protocol/commands.js';
import type { EngineEvent } from '../../control/protocol/state.js';
import { type WebServer, webSurface } from '../../control/ws/webServer.js';
import { WsClient } from '../helpers/webShow.js';
import { openShow } from '../../engine/show/openShow.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function udpClient(address: string): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  cleanup.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket;
}

/** A show playing in real time (a paced file in the audio thread, like a sound card) with OSC on a free port. */
async function playingShow(seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-flood-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  // 127.0.0.2 and .3 stand in for two machines on the network, allowed to steer
  const show = await openShow({
    output: { kind: 'wav', path: join(dir, 'flood.wav'), realtime: true }, tempoBpm: 120,
    surfaces: [oscSurface({ port: 0, allow: ['127.0.0.2', '127.0.0.3'] }), webSurface({ port: 0 })], onWarning: () => {},
  });
  cleanup.push(() => show.dispose());
  const events: EngineEvent[] = [];
  show.events.subscribe((e) => events.push(e));
  const run = show.run(seconds);
  // the heard position, sampled while the flood runs: a stall shows as a gap
  const heard: Array<{ at: number; seconds: number }> = [];
  const sampler = setInterval(() => heard.push({ at: performance.now(), seconds: show.host.heardFrame() / show.host.sampleRate }), 100);
  cleanup.push(() => clearInterval(sampler));
  return { show, osc: show.surfaces[0] as OscServer, web: show.surfaces[1] as WebServer, events, run, heard };
}

/**
 * `count` flooders in another process (as another machine would be: the show's event loop is not
 * theirs), each sending ~3000 packets a second from `address` for `seconds`, a quarter malformed.
 * Resolves with the number sent.
 */
function floodFrom(address: string, port: number, count: number, seconds: number): Promise<number> {
  const gain = [...encodeMessage({ address: '/synesthete/gain', args: [{ type: 'f', value: 0.1 }] })];
  const script = `
    import { createSocket } from 'node:dgram';
    const gain = Buffer.from(${JSON.stringify(gain)});
    const junk = Buffer.from('not OSC at all');
    const sockets = await Promise.all(Array.from({ length: ${count} }, () => new Promise((resolve) => { const s = createSocket('udp4'); s.bind(0, '${address}', () => resolve(s)); })));
    let sent = 0;
    const end = Date.now() + ${seconds * 1000};
    while (Date.now() < end) {
      for (const s of sockets) for (let k = 0; k < 30; k++, sent++) s.send(k % 4 === 0 ? junk : gain, ${port}, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 10));
    }
    process.stdout.write(String(sent));
    process.exit(0);`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout) => (error ? reject(error) : resolve(Number(stdout))));
  });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The longest wall-clock time the heard position did not move. */
function longestStandstillMs(heard: ReadonlyArray<{ at: number; seconds: number }>): number {
  let longest = 0;
  let since = heard[0]?.at ?? 0;
  for (let k = 1; k < heard.length; k++) {
    if (heard[k]!.seconds !== heard[k - 1]!.seconds) since = heard[k]!.at;
    longest = Math.max(longest, heard[k]!.at - since);
  }
  return longest;
}

describe('control surfaces under a flood', () => {
  it('OSC and WebSocket flooded at once: OSC flooders cut to their rate, WebSocket flooders dropped, well-behaved clients obeyed throughout, the show keeps playing', async () => {
    const { show, osc, web, events, run, heard } = await playingShow(60);
    await waitFor(() => show.host.heardFrame() > show.host.sampleRate, 'the show to play', 20_000);
    const flooding = floodFrom('127.0.0.2', osc.port, 2, 5);
    const good = await udpClient('127.0.0.3');
    const url = `ws://127.0.0.1:${web.port}/ws`;
    const goodWeb = await WsClient.connect(url);
    const wsFlooders = [await WsClient.connect(url), await WsClient.connect(url)];
    let wsFlooding = true;
    const wsFlood = (async () => {
      // 100 commands every 10 ms each (the limit is 200 a second, bursts of 400)
      for (let n = 0; wsFlooding; n++) {
        for (const f of wsFlooders) if (f.closed === null) for (let k = 0; k < 100; k++) f.send({ type: 'command', id: `${n}.${k}`, command: { type: 'gain', value: 0.1 } });
        await sleep(10);
      }
    })();
    const floodStart = performance.now();
    const goodValues: number[] = [];
    for (let i = 0; i < 100; i++) { // 20 a second for 5 s, from each well-behaved client
      const value = Math.round((i / 100 - 0.5) * 1000) / 1000;
      goodValues.push(value);
      good.send(encodeMessage({ address: '/synesthete/filter', args: [{ type: 'f', value }] }), osc.port, '127.0.0.1');
      goodWeb.send({ type: 'command', id: `q ${i}`, command: { type: 'quantize', value: QUANTA[i % QUANTA.length] } });
      await sleep(50);
    }
    wsFlooding = false;
    await wsFlood;
    const floodSent = await flooding;
    const heardFlood = heard.filter((h) => h.at >= floodStart);
    // and after the flood, the next message is obeyed at once
    good.send(encodeMessage({ address: '/synesthete/filter', args: [{ type: 'f', value: 0.75 }] }), osc.port, '127.0.0.1');
    await sleep(300);
    expect(show.engine.state().instant.filter).toBe(0.75);
    // UDP under a flood: the kernel drops datagrams the loaded event loop has not read in time,
    // the good sender's too (3 to 15 in 100 on this loaded 2-core machine), but the flooders'
    // rate limit never shuts it out: in every second of the flood most of its messages are obeyed
    const applied = new Set(events.flatMap((e) => (e.type === 'command-accepted' && e.command.type === 'filter' ? [(e.command as { value: number }).value] : [])));
    for (let second = 0; second < 5; second++) {
      const mine = goodValues.slice(second * 20, second * 20 + 20);
      const obeyed = mine.filter((v) => applied.has(v)).length;
      expect(obeyed, `second ${second} of the flood: ${obeyed}/20 of the good sender's messages applied`).toBeGreaterThanOrEqual(10);
    }
    // the WebSocket flooders were dropped (policy violation), the well-behaved client never was, and all its commands were applied
    for (const f of wsFlooders) expect(f.closed?.code).toBe(1008);
    expect(goodWeb.closed).toBeNull();
    await goodWeb.next('ack', (m) => m.id === 'q 99');
    const acks = goodWeb.messages.filter((m) => m.type === 'ack');
    expect(acks.filter((m) => m.ok), JSON.stringify(acks.slice(0, 3))).toHaveLength(100);
    expect(show.engine.state().transport.quantize).toBe(QUANTA[99 % QUANTA.length]);
    goodWeb.close();
    const stats = osc.stats();
    expect(floodSent).toBeGreaterThan(20_000);
    expect(stats.flooded).toBeGreaterThan(floodSent / 2);
    // the show went on: its heard position never stood still for a second, and it played to the end
    expect(longestStandstillMs(heardFlood), "the longest the heard position stood still during the flood, ms").toBeLessThan(1000);
    show.stop();
    const summary = await run;
    expect(summary.durationSeconds).toBeGreaterThan(6);
  });
});
