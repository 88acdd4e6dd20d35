import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '../../control/protocol/webProtocol.js';
import { WebServer, type WebServerOptions, webSurface } from '../../control/ws/webServer.js';
import { InlineHost } from '../../engine/live/playback/inlineHost.js';
import { type ShowOptions, type Show, openShow } from '../../engine/show/openShow.js';
import { CollectingSink } from './liveFakes.js';

export interface WebShow {
  readonly show: Show;
  readonly web: WebServer;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  dispose(): Promise<void>;
}

export interface WebShowOptions {
  readonly web?: Partial<WebServerOptions>;
  /**
   * `idle` (default): open but not playing (commands apply, state changes, nothing renders);
   * `realtime`: the imprint source playing in real time into a WAV file (an audio thread like a
   * sound card's), for pages that follow the clock and the segments; call `show.run(seconds)`.
   */
  readonly mode?: 'idle' | 'realtime';
  readonly show?: Partial<ShowOptions>;
}

/** A show with its web port on a free port of 127.0.0.1 (docs/control.md). */
export async function startWebShow(options: WebShowOptions = {}): Promise<WebShow> {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-web-'));
  const output: ShowOptions['output'] = options.mode === 'realtime'
    ? { kind: 'wav', path: join(dir, 'out.wav'), realtime: true }
    : { kind: 'host', host: new InlineHost({ sink: new CollectingSink(512, 1000), offline: true }) };
  const show = await openShow({ output, onWarning: () => {}, ...options.show, surfaces: [webSurface({ port: 0, ...options.web }), ...(options.show?.surfaces ?? [])] });
  const web = show.surfaces[0] as WebServer;
  return {
    show, web, base: `http://127.0.0.1:${web.port}`,
    async dispose() {
      await show.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A WebSocket client of the protocol that keeps every message it receives. */
export class WsClient {
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as ServerMessage));
    ws.on('close', (code, reason) => { this.closed = { code, reason: String(reason) }; });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new WsClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits for a message matching `match` (received from now or already), default 5 s. */
  async next<T extends ServerMessage['type']>(type: T, match: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<ServerMessage, { type: T }>> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m): m is Extract<ServerMessage, { type: T }> => m.type === type && match(m as Extract<ServerMessage, { type: T }>));
      if (found) return found;
      if (Date.now() > end) throw new Error(`timed out waiting for a ${type} message (last: ${this.messages.slice(-3).map((m) => m.type).join(', ')})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** A TCP port of 127.0.0.1 that was free a moment ago (for a show started in a child process). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
