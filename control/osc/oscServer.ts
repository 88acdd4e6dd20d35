import { type RemoteInfo, type Socket, createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { ControlSurface, ShowLink, SurfaceStarter } from '../protocol/surface.js';
import { safeText } from '../protocol/describeInput.js';
import { ERROR_ADDRESS, type OscArg, type OscOut, feedbackMessages, readOscMessage } from './oscAddressSpace.js';
import { decodePacket, encodeMessage } from './oscCodec.js';
import { isThisMachine, normaliseAddress } from './oscAddresses.js';

export interface OscServerOptions {
  /** UDP port to listen on (0: any free port, for tests) */
  readonly port: number;
  /** address to bind (default 127.0.0.1) */
  readonly bind?: string;
  /** senders accepted besides this machine when bound beyond localhost (IP addresses) */
  readonly allow?: readonly string[];
  /** fixed feedback destinations (`--osc-feedback host:port`) */
  readonly feedback?: readonly { readonly host: string; readonly port: number }[];
  /** datagrams longer than this are refused unread (default 16 KiB: a 500-character prompt is 2 KB at most) */
  readonly maxPacketBytes?: number;
  /** feedback is sent at most this often per address, ms (default 50) */
  readonly feedbackIntervalMs?: number;
  /** packets accepted from one sender (address and port) per second; the rest are dropped and counted (default 1000) */
  readonly maxPacketsPerSecond?: number;
  /** milliseconds of wall-clock time, for the rate limits (tests pass a fake) */
  readonly now?: () => number;
}

/** What the server has seen; refused senders are counted, not answered. */
export interface OscServerStats {
  readonly packets: number;
  readonly messages: number;
  readonly applied: number;
  readonly refused: number;
  readonly malformed: number;
  readonly oversize: number;
  /** datagrams from senders outside the allow list (dropped unread) */
  readonly foreign: number;
  /** datagrams over a sender's rate (dropped unread) */
  readonly flooded: number;
  readonly subscribers: number;
}

const DEFAULT_MAX_PACKET = 16 * 1024;
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
/** more subscribers than this and the longest-silent one is dropped (UDP clients never say goodbye) */
const MAX_SUBSCRIBERS = 16;
/** `/synesthete/error` replies per destination per second: a flood must not become a flood back */
const ERRORS_PER_SECOND = 10;

/** a flood from one address is cut at this many apps' worth of packets */
const APPS_PER_ADDRESS = 4;

/** The socket could not be bound; `code` is the system's (EADDRINUSE: the port is taken). */
export class OscBindError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

interface Destination { readonly host: string; readonly port: number; readonly fixed: boolean; lastSeen: number }

/**
 * The OSC surface: a UDP socket (node:dgram; osc-js decodes and encodes), each message mapped
 * onto the show's commands by the address space (oscAddressSpace.ts), feedback to subscribers.
 * Never throws at show time: malformed, oversize and refused packets are counted and, where a
 * sender can be told, answered on `/synesthete/error`.
 */
export class OscServer implements ControlSurface {
  private readonly counts = { packets: 0, messages: 0, applied: 0, refused: 0, malformed: 0, oversize: 0, foreign: 0, flooded: 0 };
  private readonly rates = new Map<string, { second: number; packets: number }>();
  private readonly subscribers = new Map<string, Destination>();
  private readonly lastSent = new Map<string, string>();
  private readonly errorBudget = new Map<string, { second: number; sent: number }>();
  private readonly warnedForeign = new Set<string>();
  private readonly allow: Set<string>;
  private readonly maxPacket: number;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private lastFeedback = 0;
  private readonly now: () => number;
  private disposed: Promise<void> | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly link: ShowLink,
    private readonly options: OscServerOptions,
    readonly description: string,
  ) {
    this.allow = new Set((options.allow ?? []).map(normaliseAddress));
    this.maxPacket = options.maxPacketBytes ?? DEFAULT_MAX_PACKET;
    this.now = options.now ?? Date.now;
    for (const f of options.feedback ?? []) this.subscribers.set(`${f.host}:${f.port}`, { host: f.host, port: f.port, fixed: true, lastSeen: Infinity });
    socket.on('message', (data, rinfo) => this.receive(data, rinfo));
    socket.on('error', (e) => link.warn(`OSC socket: ${e.message}`));
    const interval = options.feedbackIntervalMs ?? 50;
    // at once on a change unless the last round was under an interval ago; polled as well, since
    // bar and beat move without any event (and a change held back goes out on the next tick)
    this.unsubscribe = link.subscribe((e) => {
      if (e.type === 'state' && this.now() - this.lastFeedback >= interval) this.sendFeedback();
    });
    this.timer = setInterval(() => this.sendFeedback(), interval);
    this.timer.unref();
  }

  /** Binds the socket; a port in use or a bad address rejects with one line. */
  static async open(link: ShowLink, options: OscServerOptions): Promise<OscServer> {
    const bind = options.bind ?? '127.0.0.1';
    const socket = createSocket({ type: isIP(bind) === 6 ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      const failed = (e: NodeJS.ErrnoException) => {
        socket.close();
        const why = e.code === 'EADDRINUSE' ? 'the port is in use (another show? choose --osc-port N, or --no-osc)'
          : e.code === 'EADDRNOTAVAIL' ? 'this machine has no such address' : e.code === 'EACCES' ? 'permission denied' : e.message;
        reject(new OscBindError(`OSC on ${bind}:${options.port}: ${why}`, e.code));
      };
      socket.once('error', failed);
      socket.bind(options.port, bind, () => { socket.off('error', failed); resolve(); });
    });
    // a busy event loop reads late: a deeper kernel queue keeps a burst of faders from being
    // dropped before it is read (the system may cap it lower; the default is about 200 KB)
    try {
      socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    } catch {
      // keep the system's size
    }
    const port = socket.address().port;
    return new OscServer(socket, link, options, `OSC on ${bind}:${port}`);
  }

  /** The UDP port listened on. */
  get port(): number {
    return this.socket.address().port;
  }

  stats(): OscServerStats {
    return { ...this.counts, subscribers: this.subscribers.size };
  }

  dispose(): Promise<void> {
    this.disposed ??= new Promise<void>((resolve) => {
      clearInterval(this.timer);
      this.unsubscribe();
      this.socket.close(() => resolve());
    });
    return this.disposed;
  }

  private receive(data: Buffer, rinfo: RemoteInfo): void {
    if (this.disposed) return;
    this.counts.packets++;
    const sender = normaliseAddress(rinfo.address);
    if (!isThisMachine(sender) && !this.allow.has(sender)) {
      this.counts.foreign++;
      if (!this.warnedForeign.has(sender) && this.warnedForeign.size < 100) {
        this.warnedForeign.add(sender);
        this.link.warn(`OSC from ${sender} refused: not in --osc-allow (further packets from it are counted, not reported)`);
      }
      return;
    }
    if (this.flooding(sender, rinfo.port)) return;
    const from = { host: rinfo.address, port: rinfo.port };
    if (data.byteLength > this.maxPacket) {
      this.counts.oversize++;
      this.error(from, `packet of ${data.byteLength} bytes refused (at most ${this.maxPacket})`);
      return;
    }
    const decoded = decodePacket(data);
    if (!decoded.ok) {
      this.counts.malformed++;
      this.error(from, decoded.reason);
      return;
    }
    // a bundle's messages apply at once, in order (its timetag is not honoured: docs/control.md)
    for (const m of decoded.messages) this.handle(m.address, m.args, from);
  }

  /**
   * Over its rate this second: dropped unread, so a sender that floods (a runaway patch, an
   * attack from an allowed address) costs the show next to nothing. The rate is per app (address
   * and port), so one app's flood does not silence another on the same machine, with a ceiling
   * per address (a script opening a new socket, so a new port, for each message). One warning
   * per address.
   */
  private flooding(address: string, port: number): boolean {
    const second = Math.floor(this.now() / 1000);
    const max = this.options.maxPacketsPerSecond ?? 1000;
    // an app over its own rate is not counted against its address: its flood must not cut the others
    if (this.count(`${address}:${port}`, second) <= max && this.count(address, second) <= max * APPS_PER_ADDRESS) return false;
    this.counts.flooded++;
    this.link.warn(`OSC from ${address}: more than ${max} packets a second from one app (or ${max * APPS_PER_ADDRESS} from the address); the excess is dropped`);
    return true;
  }

  /** Packets from `key` in `second`, this one included. Last second's entries are dropped as the map grows. */
  private count(key: string, second: number): number {
    let rate = this.rates.get(key);
    if (!rate || rate.second !== second) {
      if (this.rates.size > 1000) for (const [k, r] of this.rates) if (r.second !== second) this.rates.delete(k);
      rate = { second, packets: 0 };
      this.rates.set(key, rate);
    }
    return ++rate.packets;
  }

  private handle(address: string, args: readonly OscArg[], from: { host: string; port: number }): void {
    this.counts.messages++;
    const request = readOscMessage(address, args);
    switch (request.kind) {
      case 'ignore': return;
      case 'refused':
        this.counts.refused++;
        this.error(from, request.reason);
        return;
      case 'subscribe': case 'unsubscribe': {
        const port = request.port ?? from.port;
        const key = `${from.host}:${port}`;
        if (request.kind === 'unsubscribe') {
          if (!this.subscribers.get(key)?.fixed) this.subscribers.delete(key);
          return;
        }
        this.subscribe({ host: from.host, port, fixed: false, lastSeen: this.now() }, key);
        return;
      }
      case 'command': {
        const result = this.link.command(request.command, 'osc');
        if (result.ok) {
          this.counts.applied++;
        } else {
          this.counts.refused++;
          this.error(from, `${address}: ${result.reason}`);
        }
      }
    }
  }

  private subscribe(destination: Destination, key: string): void {
    const existing = this.subscribers.get(key);
    if (existing) {
      existing.lastSeen = destination.lastSeen;
    } else {
      const dynamic = [...this.subscribers.entries()].filter(([, d]) => !d.fixed);
      if (dynamic.length >= MAX_SUBSCRIBERS) {
        const oldest = dynamic.reduce((a, b) => (b[1].lastSeen < a[1].lastSeen ? b : a));
        this.subscribers.delete(oldest[0]);
      }
      this.subscribers.set(key, destination);
    }
    // a new subscriber gets everything at once, the others only what changes
    for (const m of feedbackMessages(this.link.state())) this.send(destination, m);
  }

  /** Sends what changed since the last round to every subscriber. */
  private sendFeedback(): void {
    if (this.subscribers.size === 0) return;
    this.lastFeedback = this.now();
    let changed: OscOut[];
    try {
      changed = feedbackMessages(this.link.state()).filter((m) => {
        const key = JSON.stringify(m.args.map((a) => a.value));
        if (this.lastSent.get(m.address) === key) return false;
        this.lastSent.set(m.address, key);
        return true;
      });
    } catch (e) {
      this.link.warn(`OSC feedback failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    for (const m of changed) for (const d of this.subscribers.values()) this.send(d, m);
  }

  /** `/synesthete/error` to the sender and the subscribers, at most ERRORS_PER_SECOND each. */
  private error(from: { host: string; port: number }, reason: string): void {
    const message: OscOut = { address: ERROR_ADDRESS, args: [{ type: 's', value: safeText(reason, 300) }] };
    const destinations = new Map<string, { host: string; port: number }>([[`${from.host}:${from.port}`, from]]);
    for (const [key, d] of this.subscribers) destinations.set(key, d);
    const second = Math.floor(this.now() / 1000);
    for (const [key, d] of destinations) {
      const budget = this.errorBudget.get(key);
      if (budget && budget.second === second && budget.sent >= ERRORS_PER_SECOND) continue;
      if (!budget || budget.second !== second) {
        if (this.errorBudget.size > 1000) this.errorBudget.clear();
        this.errorBudget.set(key, { second, sent: 1 });
      } else {
        budget.sent++;
      }
      this.send(d, message);
    }
  }

  private send(to: { host: string; port: number }, message: OscOut): void {
    if (this.disposed) return;
    try {
      this.socket.send(encodeMessage(message), to.port, to.host, (e) => {
        // once per distinct message: an unreachable --osc-feedback host must not flood the log
        if (e) this.link.warn(`OSC feedback to ${to.host}:${to.port} failed: ${e.message}`);
      });
    } catch (e) {
      this.link.warn(`OSC feedback to ${to.host}:${to.port}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** The OSC surface as `openShow` starts it. */
export function oscSurface(options: OscServerOptions): SurfaceStarter {
  return (link) => OscServer.open(link, options);
}
