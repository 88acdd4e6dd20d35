import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import type { EngineState } from '../../../control/protocol/state.js';
import type { ServerMessage } from '../../../control/protocol/webProtocol.js';
import { pagesDir } from '../../../control/ws/staticPages.js';
import { engineStateFixture } from '../../helpers/engineStateFixture.js';
import { text, until, usePageBrowser } from '../../helpers/pageBrowser.js';

/**
 * The control page against a small peer of the protocol written here: it serves the page and
 * says exactly what the test wants, which a real show cannot be made to say on cue (a health
 * alarm, a burst of stale clocks, frames that are not the protocol).
 */
const { open } = usePageBrowser();

interface Peer {
  readonly base: string;
  /** the page's socket, once it connected */
  socket(): Promise<WebSocket>;
  send(message: ServerMessage | string): Promise<void>;
  close(): Promise<void>;
}

const peers: Peer[] = [];
afterEach(async () => { for (const p of peers.splice(0)) await p.close(); });

async function peer(state: EngineState): Promise<Peer> {
  const dir = pagesDir()!;
  const server: Server = createServer((req, res) => {
    const name = req.url === '/' ? 'control.html' : req.url === '/assets/control.js' ? 'control.js' : null;
    if (name === null) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(readFileSync(join(dir, name)));
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  let resolveSocket: (ws: WebSocket) => void;
  const connected = new Promise<WebSocket>((r) => { resolveSocket = r; });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'state', state }));
    ws.send(JSON.stringify({ type: 'hello', role: 'control', sampleRate: 48_000, presets: [], midi: false, show: 'peer' }));
    resolveSocket(ws);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const p: Peer = {
    base: `http://127.0.0.1:${port}`,
    socket: () => connected,
    async send(message) {
      (await connected).send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    close: () => new Promise((r) => { for (const c of wss.clients) c.terminate(); wss.close(); server.close(() => r()); }),
  };
  peers.push(p);
  return p;
}

const healthLevel = (page: import('playwright-core').Page, key: string) =>
  page.locator(`[data-health="${key}"]`).evaluate((e) => ['ok', 'warn', 'bad'].find((c) => e.classList.contains(c)) ?? '');

describe('the control page against a peer of the protocol', () => {
  it('colours health: little audio ahead, a new underrun; shows warnings; survives frames that are not the protocol', async () => {
    const state = engineStateFixture();
    const p = await peer(state);
    const page = await open(`${p.base}/`);
    expect(await healthLevel(page, 'ahead')).toBe('ok');
    await p.send('not json');
    await p.send('{"type":"from-the-future","x":1}');
    await p.send('[1,2,3]');
    await p.send({ type: 'state', state: { ...state, health: { ...state.health, aheadSeconds: 0.2, underruns: 1 } } });
    await until(page, () => healthLevel(page, 'ahead'), (l) => l === 'bad');
    expect(await healthLevel(page, 'underruns')).toBe('bad');
    expect(await text(page, '[data-health="ahead"] .value')).toBe('0.2 s');
    await p.send({ type: 'event', event: { at: 1, frame: 48_000, position: { bar: 1, beat: 3 }, type: 'warning', message: 'render took 9 s' } });
    await until(page, () => text(page, '[data-toast="info"]'), (t) => t === 'render took 9 s');
  });

  it('follows the clock between messages and ignores a stale one arriving late', async () => {
    // 120 BPM at 48 kHz: 24,000 frames a beat; the state is bar 1 beat 1 at frame 0
    const state = engineStateFixture({ frame: 0, transport: { ...engineStateFixture().transport, bar: 1, beat: 1, phase: 0 } });
    const p = await peer(state);
    const page = await open(`${p.base}/`);
    await p.send({ type: 'clock', frame: 96_000, sampleRate: 48_000 });
    await p.send({ type: 'clock', frame: 97_000, sampleRate: 48_000 });
    await until(page, () => text(page, '[data-readout="position"]'), (t) => t === '2.1');
    // a clock from before, delivered after (a burst behind a busy moment): the light stays put
    await p.send({ type: 'clock', frame: 10_000, sampleRate: 48_000 });
    await page.waitForTimeout(200);
    expect(await text(page, '[data-readout="position"]')).toMatch(/^2\.[12]$/);
    // with no news for longer than the prediction runs, the light stops where the clock says
    await page.waitForTimeout(1800);
    expect(await text(page, '[data-readout="position"]')).toBe('2.4');
  });
});
