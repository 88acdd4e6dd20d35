import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { safeText } from '../protocol/describeInput.js';
import type { EngineEvent } from '../protocol/state.js';
import type { ShowLink } from '../protocol/surface.js';
import type { ServerMessage, WireEvent } from '../protocol/webProtocol.js';
import { parseClientMessage } from './clientMessage.js';
import { TokenBucket } from './rateLimit.js';
import type { Role } from './webAccess.js';
import type { SegmentPictures } from './segmentPictures.js';

export interface WebClientsOptions {
  readonly presets: readonly string[];
  /** read when a client connects, so pictures added during the show are offered */
  readonly pictures: () => readonly string[];
  readonly maxMessagesPerSecond: number;
  readonly clockHz: number;
  readonly now: () => number;
  /** how often clients are pinged; one that missed the last ping is dropped (default 10 s) */
  readonly heartbeatMs?: number;
}

export interface WebStats {
  connections: number;
  messages: number;
  applied: number;
  refused: number;
  malformed: number;
  /** clients dropped for sending too fast */
  dropped: number;
  /** clock and event messages not sent to a client that could not keep up */
  skipped: number;
}

interface Client {
  readonly ws: WebSocket;
  readonly role: Role;
  readonly address: string;
  readonly bucket: TokenBucket;
  /** a state change this client has not been sent yet (it was busy) */
  stateDirty: boolean;
  learning: boolean;
  /** a projector page's last report */
  output?: { frames: number; skipped: number; drawMeanMs: number };
  /** when its last projector report was taken, ms (one a second at most) */
  outputAt: number;
  /** answered the last WebSocket ping */
  alive: boolean;
}

/** segment-ready messages kept for clients that connect mid-show */
const MAX_READY_KEPT = 16;

/** Past this much unsent data a client is slow: it gets the latest state, not every clock tick. */
const SLOW_CLIENT_BYTES = 1 << 20;
/** Past this much unsent data a client is not reading at all: it is dropped. */
const DEAD_CLIENT_BYTES = 8 << 20;
/** state messages per second at most: a dragged fader changes the state 60 times a second */
const STATE_INTERVAL_MS = 33;

/**
 * The WebSocket clients of a show: each gets the full state first, then changes (coalesced), the
 * clock and the events; its messages become commands (refused for a view connection). A client
 * that floods is dropped; a slow one skips clock ticks and events but always ends up with the
 * latest state. Nothing here can throw into the show.
 */
export class WebClients {
  readonly stats: WebStats = { connections: 0, messages: 0, applied: 0, refused: 0, malformed: 0, dropped: 0, skipped: 0 };
  private readonly clients = new Set<Client>();
  private readonly unsubscribe: () => void;
  private readonly stopLearned: () => void;
  /** this show's id (segment ids start again at 1 in a restarted show) */
  private readonly showId = randomBytes(6).toString('hex');
  private readonly clockTimer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;
  /**
   * What a client that connects mid-show needs to draw at once: the segment-ready of every
   * segment from the one playing on, and the latest segment-started (a long freeze repeats one
   * segment many times: only the last start matters).
   */
  private readonly readyTexts = new Map<number, string>();
  private lastStarted: { segmentId: number; text: string } | undefined;
  private stateTimer: NodeJS.Timeout | undefined;

  constructor(private readonly link: ShowLink, private readonly pictures: SegmentPictures, private readonly options: WebClientsOptions) {
    this.unsubscribe = link.subscribe((e) => this.onEvent(e));
    this.stopLearned = link.midiLearn?.onLearned((parameter, mapping) => {
      for (const c of this.clients) {
        if (!c.learning) continue;
        c.learning = false;
        this.send(c, { type: 'learned', parameter, mapping });
      }
    }) ?? (() => undefined);
    this.clockTimer = setInterval(() => this.tick(), 1000 / options.clockHz);
    this.clockTimer.unref();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), options.heartbeatMs ?? 10_000);
    this.heartbeatTimer.unref();
  }

  add(ws: WebSocket, role: Role, address: string): void {
    const client: Client = { ws, role, address, bucket: new TokenBucket(this.options.maxMessagesPerSecond, this.options.maxMessagesPerSecond * 2, this.options.now()), stateDirty: false, learning: false, outputAt: -Infinity, alive: true };
    this.clients.add(client);
    this.stats.connections++;
    ws.on('message', (data, isBinary) => {
      // a client's message must never take the show down, whatever it holds
      try {
        this.receive(client, data, isBinary);
      } catch (e) {
        this.link.warn(`web client ${client.address}: a message could not be handled (${(e as Error).message?.split('\n')[0]})`);
        this.refuse(client, null, 'the message could not be handled', true);
      }
    });
    ws.on('pong', () => { client.alive = true; });
    ws.on('close', () => this.remove(client));
    ws.on('error', () => this.remove(client));
    const clock = this.link.clock();
    this.send(client, { type: 'state', state: this.link.state() });
    this.send(client, { type: 'hello', role, sampleRate: clock.sampleRate, presets: this.options.presets, pictures: this.options.pictures(), midi: this.link.midiLearn !== undefined, show: this.showId });
    // a projector plugged in mid-show draws the segment playing and those ready at once
    for (const text of this.readyTexts.values()) this.sendText(client, text, false);
    if (this.lastStarted) this.sendText(client, this.lastStarted.text, false);
  }

  dispose(): void {
    clearInterval(this.clockTimer);
    clearInterval(this.heartbeatTimer);
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.unsubscribe();
    this.stopLearned();
    this.clients.clear();
  }

  private remove(client: Client): void {
    if (!this.clients.delete(client)) return;
    if (client.learning) this.link.midiLearn?.cancel();
    if (client.output) this.reportProjector();
  }

  /** The projector pages' reports, summed, for the show's health. */
  private reportProjector(): void {
    const outputs = [...this.clients].flatMap((c) => (c.output ? [c.output] : []));
    this.link.reportProjector?.(outputs.length === 0 ? null : {
      outputs: outputs.length,
      frames: outputs.reduce((n, o) => n + o.frames, 0),
      skippedFrames: outputs.reduce((n, o) => n + o.skipped, 0),
      drawMeanMs: Math.round(Math.max(...outputs.map((o) => o.drawMeanMs)) * 100) / 100,
    });
  }

  private receive(client: Client, data: unknown, isBinary: boolean): void {
    // frames already on their way when a client was dropped are not read
    if (!this.clients.has(client)) return;
    this.stats.messages++;
    if (!client.bucket.take(this.options.now())) {
      this.stats.dropped++;
      this.link.warn(`web client ${client.address} dropped: more than ${this.options.maxMessagesPerSecond} messages a second`);
      this.remove(client);
      client.ws.close(1008, 'too many messages');
      return;
    }
    if (isBinary) return this.refuse(client, null, 'binary frames are not part of the protocol: send JSON text', true);
    const parsed = parseClientMessage(String(data));
    if (!parsed.ok) return this.refuse(client, parsed.id, parsed.reason, true);
    const m = parsed.message;
    switch (m.type) {
      case 'ping': return this.send(client, { type: 'pong', id: parsed.id });
      case 'output-stats': {
        // a projector may watch with the view token: reporting how it draws steers nothing;
        // one report a second is plenty (pages send one every 2 s), more are ignored
        const now = this.options.now();
        if (now - client.outputAt < 1000) return;
        client.outputAt = now;
        client.output = { frames: m.frames, skipped: m.skipped, drawMeanMs: m.drawMeanMs };
        return this.reportProjector();
      }
      case 'command': {
        if (client.role === 'view') return this.refuse(client, parsed.id, 'this connection is read-only (view token)');
        const r = this.link.command(m.command, 'web');
        if (!r.ok) return this.refuse(client, parsed.id, r.reason);
        this.stats.applied++;
        return this.send(client, { type: 'ack', id: parsed.id, ok: true });
      }
      case 'learn': {
        if (client.role === 'view') return this.refuse(client, parsed.id, 'this connection is read-only (view token)');
        if (this.link.midiLearn === undefined) return this.refuse(client, parsed.id, 'MIDI learn needs a MIDI controller: start the show with --midi NAME');
        const reason = this.link.midiLearn.arm(m.parameter);
        if (reason !== null) return this.refuse(client, parsed.id, reason);
        for (const c of this.clients) {
          if (c.learning && c !== client) this.send(c, { type: 'ack', id: null, ok: false, reason: `MIDI learn moved to another page (now for ${m.parameter})` });
          c.learning = false;
        }
        client.learning = true;
        return this.send(client, { type: 'ack', id: parsed.id, ok: true });
      }
      case 'learn-cancel':
        if (client.learning) this.link.midiLearn?.cancel();
        client.learning = false;
        return this.send(client, { type: 'ack', id: parsed.id, ok: true });
    }
  }

  private refuse(client: Client, id: string | number | null, reason: string, malformed = false): void {
    if (malformed) this.stats.malformed++;
    else this.stats.refused++;
    this.send(client, { type: 'ack', id, ok: false, reason: safeText(reason, 300) });
  }

  private onEvent(event: EngineEvent): void {
    if (event.type === 'state') return this.stateChanged();
    let wire: WireEvent;
    if (event.type === 'segment-ready') {
      const { picture, ...rest } = event;
      this.pictures.add(event.segmentId, picture);
      wire = { ...rest, pictureUrl: `/segments/${event.segmentId}.png?show=${this.showId}`, width: picture.width, height: picture.height };
    } else {
      wire = event;
    }
    const text = JSON.stringify({ type: 'event', event: wire } satisfies ServerMessage);
    for (const c of this.clients) this.sendText(c, text, true);
    if (event.type === 'segment-ready') {
      this.readyTexts.set(event.segmentId, text);
      // bounded whatever happens: a show never keeps many segments ready ahead
      while (this.readyTexts.size > MAX_READY_KEPT) this.readyTexts.delete(this.readyTexts.keys().next().value!);
    }
    if (event.type === 'segment-started') {
      this.lastStarted = { segmentId: event.segmentId, text };
      for (const id of this.readyTexts.keys()) if (id < event.segmentId) this.readyTexts.delete(id);
    }
  }

  private stateChanged(): void {
    for (const c of this.clients) c.stateDirty = true;
    this.stateTimer ??= setTimeout(() => {
      this.stateTimer = undefined;
      this.flushState();
    }, STATE_INTERVAL_MS);
  }

  private flushState(): void {
    const dirty = [...this.clients].filter((c) => c.stateDirty && c.ws.bufferedAmount < SLOW_CLIENT_BYTES);
    if (dirty.length === 0) return;
    const text = JSON.stringify({ type: 'state', state: this.link.state() } satisfies ServerMessage);
    for (const c of dirty) {
      c.stateDirty = false;
      this.sendText(c, text, false);
    }
  }

  /**
   * Every 10 s: a client that did not answer the last ping is gone (a phone that lost Wi-Fi
   * sends no goodbye and would hold its slot and its buffers for a quarter of an hour).
   */
  private heartbeat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        this.drop(c, 'did not answer a ping for 10 s');
        continue;
      }
      c.alive = false;
      try {
        c.ws.ping();
      } catch {
        // closing already
      }
    }
  }

  private drop(client: Client, why: string): void {
    this.stats.dropped++;
    this.link.warn(`web client ${client.address} dropped: ${why}`);
    this.remove(client);
    client.ws.terminate();
  }

  private tick(): void {
    if (this.clients.size === 0) return;
    const { frame, sampleRate } = this.link.clock();
    const sentAt = Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
    const text = JSON.stringify({ type: 'clock', frame, sampleRate, sentAt } satisfies ServerMessage);
    for (const c of this.clients) this.sendText(c, text, true);
    // a slow client's state caught up with once it drains
    if ([...this.clients].some((c) => c.stateDirty)) this.flushState();
  }

  private send(client: Client, message: ServerMessage): void {
    this.sendText(client, JSON.stringify(message), false);
  }

  private sendText(client: Client, text: string, skippable: boolean): void {
    if (client.ws.readyState !== client.ws.OPEN) return;
    if (client.ws.bufferedAmount > DEAD_CLIENT_BYTES) {
      // a client that sends but never reads would grow the server's buffers without end
      this.drop(client, `it does not read what it is sent (${DEAD_CLIENT_BYTES >> 20} MiB waiting)`);
      return;
    }
    if (skippable && client.ws.bufferedAmount > SLOW_CLIENT_BYTES) {
      this.stats.skipped++;
      return;
    }
    client.ws.send(text);
  }
}
