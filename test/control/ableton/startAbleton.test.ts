import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../control/osc/oscCodec.js';
import { type RunningAbleton, startAbleton } from '../../../control/ableton/startAbleton.js';
import type { ClockReports } from '../../../control/midi/midiClock.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { openShow } from '../../../engine/show/openShow.js';
import { FakeAbletonLive } from '../../helpers/fakeAbletonLive.js';
import { CollectingSink } from '../../helpers/liveFakes.js';
import { freeUdpPort, oscsend, waitUntil } from '../../helpers/oscTools.js';
import { UserError } from '../../../engine/errors.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A show stand-in that records what the clock reports (the engine's following is tested in abletonFollow.test.ts). */
function recordingShow() {
  const tempi: number[] = [];
  const beats: number[] = [];
  let following = false;
  return {
    tempi, beats, following: () => following,
    follow(clock: ClockReports) {
      following = true;
      const stops = [clock.onTempo((b) => tempi.push(b)), clock.onBeat((b) => beats.push(b))];
      return () => { following = false; stops.forEach((s) => s()); };
    },
  };
}

async function fakeLive(bpm: number, replyPort: () => number) {
  const live = new FakeAbletonLive(bpm, replyPort);
  await live.start();
  cleanup.push(() => live.stop());
  return live;
}

describe('following Ableton Live over real UDP (a fake AbletonOSC)', () => {
  it('subscribes, follows the tempo and the beats, and unsubscribes on dispose', async () => {
    let running: RunningAbleton | undefined;
    const live = await fakeLive(150, () => running!.replyPort);
    const show = recordingShow();
    const warnings: string[] = [];
    running = await startAbleton(show, { port: live.listenPort, replyPort: 0, pollMs: 300, warn: (m) => warnings.push(m) });
    cleanup.push(() => running!.dispose());
    expect(running.description).toMatch(/^following Ableton Live at 127\.0\.0\.1:\d+ \(AbletonOSC; answers on UDP 127\.0\.0\.1:\d+\)$/);
    await waitUntil(() => show.beats.length >= 3, 'three beats from Live');
    expect(live.received.slice(0, 4)).toEqual(['/live/song/get/tempo', '/live/song/start_listen/tempo', '/live/song/start_listen/is_playing', '/live/song/start_listen/beat']);
    expect(show.tempi.every((t) => t === 150)).toBe(true);
    expect(running.clock.isPlaying).toBe(true);
    // consecutive beats 0.4 s apart at 150 BPM: reports one apart (give or take the tick)
    const steps = show.beats.slice(1).map((b, k) => b - show.beats[k]!);
    for (const s of steps) expect(Math.abs(s - 1)).toBeLessThan(0.3);
    live.setTempo(90);
    await waitUntil(() => show.tempi.at(-1) === 90, 'the new tempo');
    await running.dispose();
    expect(show.following()).toBe(false);
    await waitUntil(() => live.received.includes('/live/song/stop_listen/beat'), 'stop_listen on dispose', 2000);
    expect(warnings).toEqual([]);
  });

  it('warns once when Live goes, re-subscribes and warns once when it comes back', async () => {
    let running: RunningAbleton | undefined;
    const live = await fakeLive(120, () => running!.replyPort);
    const show = recordingShow();
    const warnings: string[] = [];
    running = await startAbleton(show, { port: live.listenPort, replyPort: 0, pollMs: 100, timeoutMs: 400, warn: (m) => warnings.push(m) });
    cleanup.push(() => running!.dispose());
    await waitUntil(() => running!.clock.connected, 'Live to answer');
    await live.stop();
    await waitUntil(() => warnings.length === 1, 'the warning that Live went');
    expect(warnings[0]).toMatch(/^Ableton Live at 127\.0\.0\.1:\d+ stopped answering: the show keeps Live's last tempo \(120 BPM\)/);
    await new Promise((r) => setTimeout(r, 600)); // more polls, no more warnings
    expect(warnings).toHaveLength(1);
    const subscriptions = live.received.filter((a) => a === '/live/song/start_listen/beat').length;
    await live.start(); // same port: Live restarted, its listeners forgotten
    await waitUntil(() => warnings.length === 2, 'the warning that Live is back');
    expect(warnings[1]).toMatch(/answers again: following its tempo and beat$/);
    await waitUntil(() => live.received.filter((a) => a === '/live/song/start_listen/beat').length > subscriptions, 're-subscribing');
    const before = show.beats.length;
    await waitUntil(() => show.beats.length > before, 'beats again after re-subscribing', 3000);
    expect(warnings).toHaveLength(2);
  });

  it('reads what liblo\'s oscsend sends as Live (T for true, ids before values) and ignores other machines', async () => {
    const show = recordingShow();
    const running = await startAbleton(show, { port: await freeUdpPort(), replyPort: 0, warn: () => {} });
    cleanup.push(() => running.dispose());
    await oscsend(running.replyPort, '/live/song/get/is_playing', 'T');
    await oscsend(running.replyPort, '/live/song/get/tempo', 'if', 0, 133.5);
    await waitUntil(() => running.clock.bpm === 133.5 && running.clock.isPlaying === true, 'the tempo and play state from oscsend');
    // 127.0.0.2 stands in for another machine on the network
    const stranger = createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.2', resolve));
    cleanup.push(() => new Promise<void>((resolve) => stranger.close(() => resolve())));
    await new Promise<void>((resolve) => stranger.send(encodeMessage({ address: '/live/song/get/tempo', args: [{ type: 'f', value: 60 }] }), running.replyPort, '127.0.0.1', () => resolve()));
    await oscsend(running.replyPort, '/live/song/get/beat', 'i', 9); // a later message from Live itself
    await waitUntil(() => show.beats.length === 1, 'the beat from oscsend');
    expect(running.clock.bpm).toBe(133.5);
  });

  it('a show started with `ableton` follows Live: clock source external:ableton at Live\'s tempo', async () => {
    let replyPort = 0;
    const live = await fakeLive(126, () => replyPort);
    replyPort = await freeUdpPort();
    const show = await openShow({
      output: { kind: 'host', host: new InlineHost({ sink: new CollectingSink(512, 1000), offline: true }) },
      ableton: { port: live.listenPort, replyPort }, onWarning: () => {},
    });
    cleanup.push(() => show.dispose());
    expect(show.ableton?.description).toMatch(/^following Ableton Live/);
    await waitUntil(() => show.engine.state().transport.clockSource === 'external:ableton', 'the show to follow Live');
    expect(show.engine.state().transport.bpm).toBe(126);
  });

  it('a reply port in use is one clear setup error', async () => {
    const taken = createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = taken.address().port;
    const failed = await openShow({
      output: { kind: 'host', host: new InlineHost({ sink: new CollectingSink(512, 1000), offline: true }) },
      ableton: { replyPort: port }, onWarning: () => {},
    }).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(UserError);
    expect((failed as Error).message).toMatch(new RegExp(`^--ableton: UDP 127\\.0\\.0\\.1:${port} for Live's answers: the port is in use: another AbletonOSC client`));
  });
});
