import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineState } from '../../../control/protocol/state.js';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeMidiBackend } from '../../../control/midi/fakeMidiBackend.js';
import { pictureNames } from '../../../engine/live/namingSurfaces.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { waitUntil } from '../../helpers/oscTools.js';
import { type WebShow, WsClient, startWebShow } from '../../helpers/webShow.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function webShow(options: Parameters<typeof startWebShow>[0] = {}): Promise<WebShow> {
  const s = await startWebShow(options);
  cleanup.push(() => s.dispose());
  return s;
}

async function client(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  const c = await WsClient.connect(url, headers);
  cleanup.push(() => c.close());
  return c;
}

/** The status of a refused WebSocket handshake. */
function refusal(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => { ws.close(); reject(new Error('the handshake was accepted')); });
    ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); res.resume(); });
    ws.once('error', () => undefined);
  });
}

describe('the web port: pages, /osc, the WebSocket protocol', () => {
  it('serves the control page, the projector and their scripts; unknown paths are 404', async () => {
    const { base } = await webShow();
    for (const path of ['/', '/output', '/preview']) {
      const r = await fetch(base + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    const page = await (await fetch(`${base}/`)).text();
    const script = /src="(\/assets\/[^"]+)"/.exec(page)![1]!;
    const js = await fetch(base + script);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('GET /osc describes every address with its type, range, default and current value', async () => {
    const { base, show } = await webShow();
    show.engine.command({ type: 'gain', value: 0.25 }, 'api');
    const tree = await (await fetch(`${base}/osc`)).json() as { root: string; addresses: Record<string, { type: string; value: unknown; range?: { min?: number; max?: number; values?: string[] }; default: unknown; help: string }> };
    expect(tree.root).toBe('/synesthete');
    expect(tree.addresses['/synesthete/gain']).toMatchObject({ type: 'f', value: 0.25, default: 1, range: { min: 0, max: 1 } });
    expect(tree.addresses['/synesthete/quantize']).toMatchObject({ type: 's', value: 'bar', range: { values: expect.arrayContaining(['beat', 'bar']) } });
    expect(tree.addresses['/synesthete/tap']).toMatchObject({ type: '', value: null });
    expect(tree.addresses['/synesthete/state/bar']!.help).toContain('bar');
  });

  it('a client gets the full state first, then hello; its commands are acked and change the state everyone sees', async () => {
    const { base, show } = await webShow();
    const a = await client(`${base.replace('http', 'ws')}/ws`);
    const b = await client(`${base.replace('http', 'ws')}/ws`);
    await a.next('hello');
    expect(a.messages[0]!.type).toBe('state');
    expect(a.messages[1]).toMatchObject({ type: 'hello', role: 'control', sampleRate: show.engine.clock().sampleRate, midi: false });
    a.send({ type: 'command', id: 'g1', command: { type: 'gain', value: 0.5 } });
    expect(await a.next('ack', (m) => m.id === 'g1')).toEqual({ type: 'ack', id: 'g1', ok: true });
    expect(show.engine.state().instant.gain).toBe(0.5);
    // the other client sees the change within a moment
    await b.next('state', (m) => m.state.instant.gain === 0.5);
    const accepted = await b.next('event', (m) => m.event.type === 'command-accepted');
    expect(accepted.event).toMatchObject({ command: { type: 'gain', value: 0.5 }, surface: 'web' });
    // a refused command comes back with its reason; the state is unchanged
    a.send({ type: 'command', id: 7, command: { type: 'gain', value: 3 } });
    const refused = await a.next('ack', (m) => m.id === 7);
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining('at most 1') });
    expect(show.engine.state().instant.gain).toBe(0.5);
    // ping
    a.send({ type: 'ping', id: 'p' });
    await a.next('pong', (m) => m.id === 'p');
    // the clock ticks about 20 times a second
    await a.next('clock');
  });

  it('refuses malformed messages with one line each and keeps the connection', async () => {
    const { base, show, web } = await webShow();
    const a = await client(`${base.replace('http', 'ws')}/ws`);
    const before = JSON.stringify(show.engine.state());
    const bad = ['not json', '[]', '{"type":"command"}', '{"type":"launch"}', '{"id":{"x":1},"type":"ping"}', '{"type":"command","command":{"type":"gain","value":"loud"}}', '{"type":"learn"}', 'null'];
    for (const m of bad) a.send(m);
    a.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await new Promise((r) => setTimeout(r, 300));
    const acks = a.messages.filter((m) => m.type === 'ack');
    expect(acks).toHaveLength(bad.length + 1);
    for (const ack of acks) {
      expect(ack.ok).toBe(false);
      if (!ack.ok) expect(ack.reason).not.toContain('\n');
    }
    expect(a.closed).toBeNull();
    expect(JSON.stringify(show.engine.state())).toBe(before);
    expect(web.stats.malformed).toBe(bad.length);
  });

  it('projector pages report their frame pacing: summed into the show\'s health, gone when they leave', async () => {
    const { base, show } = await webShow();
    const a = await client(`${base.replace('http', 'ws')}/ws`);
    const b = await client(`${base.replace('http', 'ws')}/ws`);
    expect(show.engine.state().health.projector).toBeNull();
    a.send({ type: 'output-stats', frames: 600, skipped: 3, drawMeanMs: 4.2 });
    b.send({ type: 'output-stats', frames: 300, skipped: 30, drawMeanMs: 11.5 });
    await waitUntil(() => show.engine.state().health.projector?.outputs === 2, 'both reports');
    expect(show.engine.state().health.projector).toEqual({ outputs: 2, frames: 900, skippedFrames: 33, drawMeanMs: 11.5 });
    // every client sees it in the state
    await a.next('state', (m) => m.state.health.projector?.skippedFrames === 33);
    b.send({ type: 'output-stats', frames: -1, skipped: 0, drawMeanMs: 0 });
    expect(await b.next('ack', (m) => m.ok === false)).toMatchObject({ reason: expect.stringContaining('output-stats') });
    b.close();
    await waitUntil(() => show.engine.state().health.projector?.outputs === 1, 'one report after a page left');
    a.close();
    await waitUntil(() => show.engine.state().health.projector === null, 'no projector');
  });

  it('chooses presets by name only: a path from the network is refused (it would probe the disk)', async () => {
    const { base } = await webShow();
    const a = await client(`${base.replace('http', 'ws')}/ws`);
    for (const name of ['/etc/passwd', '../presets/tiny', 'tiny.yaml']) a.send({ type: 'command', id: name, command: { type: 'preset', name } });
    for (const name of ['/etc/passwd', '../presets/tiny', 'tiny.yaml']) {
      expect(await a.next('ack', (m) => m.id === name)).toMatchObject({ ok: false, reason: expect.stringContaining('chooses presets by name') });
    }
  });

  it('imprints pictures by name from the show\'s pictures folder, offered in hello; a path, a hidden or missing file is refused', async () => {
    const dir = tempDir();
    copyFileSync(fixture('golden/txt2img-picture-euler/image.png'), join(dir, 'sea.png'));
    writeFileSync(join(dir, 'notes.txt'), 'not a picture');
    const { base, show } = await webShow({ show: { pictures: dir }, web: { pictures: () => pictureNames(dir) } });
    const a = await client(`${base.replace('http', 'ws')}/ws`);
    expect(await a.next('hello')).toMatchObject({ pictures: ['sea.png'] });
    for (const name of ['/etc/passwd', '../sea.png', `${dir}/sea.png`, '.sea.png', 'notes.txt', 'missing.png']) {
      a.send({ type: 'command', id: name, command: { type: 'imprint', image: name } });
      expect(await a.next('ack', (m) => m.id === name)).toMatchObject({ ok: false, reason: expect.stringMatching(/^imprint\.image: (web names a PNG or JPEG in|no picture "missing\.png" in)/) });
    }
    expect(show.engine.state().imprint).toBeNull();
    a.send({ type: 'command', id: 'sea', command: { type: 'imprint', image: 'sea.png' } });
    expect(await a.next('ack', (m) => m.id === 'sea')).toMatchObject({ ok: true });
    expect(show.engine.state().imprint?.image).toBe(join(dir, 'sea.png'));
    // a picture added during the show is offered to the next page
    copyFileSync(join(dir, 'sea.png'), join(dir, 'sky.jpg.png'));
    const b = await client(`${base.replace('http', 'ws')}/ws`);
    expect(await b.next('hello')).toMatchObject({ pictures: ['sea.png', 'sky.jpg.png'] });
  });

  it('a message holding a deeply nested value is refused, not a crash', async () => {
    const { base, show } = await webShow();
    const a = await client(`${base.replace('http', 'ws')}/ws`);
    a.send(`{"type":${'['.repeat(6000)}${']'.repeat(6000)},"id":"deep"}`);
    expect(await a.next('ack', (m) => m.id === 'deep')).toMatchObject({ ok: false, reason: expect.stringContaining('(an array)') });
    a.send({ type: 'command', id: 'after', command: { type: 'gain', value: 0.4 } });
    expect(await a.next('ack', (m) => m.id === 'after')).toMatchObject({ ok: true });
    expect(show.engine.state().instant.gain).toBe(0.4);
  });

  it('a client connecting mid-show gets the segment playing and those ready, however long it has looped', async () => {
    const { base, show } = await webShow();
    const stamp = { at: 0, frame: 0, position: { bar: 1, beat: 1 } };
    const recipe = { source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: 0, description: 'x' } as const;
    const picture = { width: 2, height: 2, rgb: new Uint8Array(12) };
    const ready = (segmentId: number) => show.events.publish({ ...stamp, type: 'segment-ready', segmentId, picture, recipe, bars: 2, frames: 1000, startFrame: null });
    const started = (segmentId: number, repeat: boolean) => show.events.publish({ ...stamp, type: 'segment-started', segmentId, recipe, repeat, frozen: repeat });
    ready(1); started(1, false); ready(2); started(2, false); ready(3);
    // frozen on segment 2 for a long time: 40 repeats
    for (let i = 0; i < 40; i++) started(2, true);
    const late = await client(`${base.replace('http', 'ws')}/ws`);
    await late.next('hello');
    await new Promise((r) => setTimeout(r, 100));
    const replayed = late.messages.flatMap((m) => (m.type === 'event' && 'segmentId' in m.event ? [`${m.event.type} ${m.event.segmentId}`] : []));
    expect(replayed).toEqual(['segment-ready 2', 'segment-ready 3', 'segment-started 2']);
  });

  it('drops a client that stops answering pings (a phone gone from the Wi-Fi)', async () => {
    const { base, web } = await webShow({ web: { heartbeatMs: 100 } });
    const silent = new WebSocket(`${base.replace('http', 'ws')}/ws`, { autoPong: false });
    const closed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    const answering = await client(`${base.replace('http', 'ws')}/ws`);
    await closed;
    expect(web.stats.dropped).toBe(1);
    answering.send({ type: 'ping', id: 'still here' });
    await answering.next('pong', (m) => m.id === 'still here');
    expect(answering.closed).toBeNull();
  });

  it('drops a client that floods; the others go on', async () => {
    const { base, web } = await webShow({ web: { maxMessagesPerSecond: 50 } });
    const flood = await client(`${base.replace('http', 'ws')}/ws`);
    const calm = await client(`${base.replace('http', 'ws')}/ws`);
    for (let i = 0; i < 500; i++) flood.send({ type: 'ping', id: i });
    await new Promise((r) => setTimeout(r, 300));
    expect(flood.closed?.code).toBe(1008);
    expect(web.stats.dropped).toBe(1);
    calm.send({ type: 'command', id: 'c', command: { type: 'filter', value: 0.2 } });
    expect(await calm.next('ack', (m) => m.id === 'c')).toMatchObject({ ok: true });
  });

  it('forwards segments with a picture URL, and serves the picture', async () => {
    const { base, show } = await webShow({ mode: 'realtime' });
    const a = await client(`${base.replace('http', 'ws')}/ws`);
    const running = show.run(3);
    const ready = await a.next('event', (m) => m.event.type === 'segment-ready', 20_000);
    const e = ready.event as Extract<typeof ready.event, { type: 'segment-ready' }>;
    const hello = await a.next('hello');
    expect(hello.show).toMatch(/^[0-9a-f]{12}$/);
    expect(e.pictureUrl).toBe(`/segments/${e.segmentId}.png?show=${hello.show}`);
    expect('picture' in e).toBe(false);
    const png = await fetch(base + e.pictureUrl);
    expect(png.status).toBe(200);
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(e.width);
    expect(bytes.readUInt32BE(20)).toBe(e.height);
    const clocks = a.messages.filter((m) => m.type === 'clock');
    show.engine.stop();
    await running;
    expect(clocks.length).toBeGreaterThan(0);
    // the heard frame never goes back
    const frames = a.messages.flatMap((m) => (m.type === 'clock' ? [m.frame] : []));
    expect(frames).toEqual([...frames].sort((x, y) => x - y));
    expect((await fetch(`${base}/segments/999999.png`)).status).toBe(404);
  });
});

describe('MIDI learn from the page', () => {
  const PORT = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0';

  it('learn arms the controller; the next knob moved is mapped, saved, reported to the page, and then steers', async () => {
    const backend = new FakeMidiBackend();
    backend.plug(PORT);
    const dir = tempDir();
    const { base, show } = await webShow({ show: { midi: { device: 'nano', backend: () => backend, mappingDir: dir } } });
    const page = await client(`${base.replace('http', 'ws')}/ws`);
    expect(await page.next('hello')).toMatchObject({ midi: true });
    page.send({ type: 'learn', id: 'L', parameter: 'filter' });
    expect(await page.next('ack', (m) => m.id === 'L')).toMatchObject({ ok: true });
    backend.play(PORT, { type: 'cc', channel: 2, controller: 21, value: 10 });
    const learned = await page.next('learned');
    expect(learned).toEqual({ type: 'learned', parameter: 'filter', mapping: 'cc 21 on channel 2 (nanoKONTROL2:nanoKONTROL2 MIDI 1)' });
    // the knob now drives the filter (turned through the filter's value it picks it up; full turn = +1)
    for (const value of [60, 64, 70, 127]) backend.play(PORT, { type: 'cc', channel: 2, controller: 21, value });
    expect(show.engine.state().instant.filter).toBe(1);
    const saved = () => readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    await waitUntil(() => saved().length === 1 && readFileSync(join(dir, saved()[0]!), 'utf8').includes('filter'), 'the mapping file to be saved');
    page.send({ type: 'learn', id: 'bad', parameter: 'no.such.thing' });
    expect(await page.next('ack', (m) => m.id === 'bad')).toMatchObject({ ok: false });
  });

  it('without a controller, learn is refused with the reason', async () => {
    const { base } = await webShow();
    const page = await client(`${base.replace('http', 'ws')}/ws`);
    page.send({ type: 'learn', id: 1, parameter: 'gain' });
    expect(await page.next('ack', (m) => m.id === 1)).toMatchObject({ ok: false, reason: expect.stringContaining('--midi') });
  });
});

describe('the web port beyond localhost: tokens, Origin, Host', () => {
  const token = 'steer-token-123';
  const viewToken = 'watch-only-456';

  it('refuses pages, /osc and the WebSocket without the token (401), with a wrong Host (421) or a foreign Origin (403)', async () => {
    const { base, web } = await webShow({ web: { bind: '127.0.0.1', token, viewToken } });
    expect(web.url).toBe(`${base}/?token=${token}`);
    // a projector only watches: its address carries the view token
    expect(web.outputUrl).toBe(`${base}/output?token=${viewToken}`);
    for (const path of ['/', '/output', '/osc']) expect((await fetch(base + path)).status, path).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/?token=${token}`)).status).toBe(200);
    expect((await fetch(`${base}/osc`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // scripts are code, not the show
    const page = await (await fetch(`${base}/?token=${token}`)).text();
    expect((await fetch(base + /src="(\/assets\/[^"]+)"/.exec(page)![1]!)).status).toBe(200);
    const ws = `${base.replace('http', 'ws')}/ws`;
    expect(await refusal(ws)).toBe(401);
    expect(await refusal(`${ws}?token=wrong`)).toBe(401);
    expect(await refusal(`${ws}?token=${token}`, { origin: 'https://evil.example' })).toBe(403);
    expect(await refusal(`${ws}?token=${token}`, { host: 'rebind.evil.example:80' })).toBe(421);
    expect(await refusal(`${base.replace('http', 'ws')}/other?token=${token}`)).toBe(403);
    const ok = await client(`${ws}?token=${token}`, { origin: base });
    expect(await ok.next('hello')).toMatchObject({ role: 'control' });
  });

  it('the view token watches but cannot steer', async () => {
    const { base, show } = await webShow({ web: { token, viewToken } });
    const viewer = await client(`${base.replace('http', 'ws')}/ws?token=${viewToken}`);
    expect(await viewer.next('hello')).toMatchObject({ role: 'view' });
    viewer.send({ type: 'command', id: 1, command: { type: 'gain', value: 0 } });
    expect(await viewer.next('ack', (m) => m.id === 1)).toMatchObject({ ok: false, reason: expect.stringContaining('read-only') });
    expect(show.engine.state().instant.gain).toBe(1);
    // it still sees what others change
    show.engine.command({ type: 'gain', value: 0.3 }, 'api');
    await viewer.next('state', (m) => (m.state as EngineState).instant.gain === 0.3);
    expect((await fetch(`${base}/output?token=${viewToken}`)).status).toBe(200);
  });
});
