import { type RemoteInfo, type Socket, createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { ClockReports } from '../midi/midiClock.js';
import type { OscOut } from '../osc/oscAddressSpace.js';
import { decodePacket, encodeMessage } from '../osc/oscCodec.js';
import { isLoopbackBind, normaliseAddress } from '../osc/oscAddresses.js';
import { AbletonClock, type AbletonActions } from './abletonClock.js';

/** AbletonOSC listens here... */
export const ABLETON_PORT = 11000;
/** ...and answers the sender's address on this port (not the port it sent from). */
export const ABLETON_REPLY_PORT = 11001;

/** What following Live needs of a show (a LiveEngine has it). */
export interface AbletonShow {
  follow(clock: ClockReports, options?: { readonly latencySeconds?: number }): () => void;
}

export interface StartAbletonOptions {
  /** the machine Live runs on (default 127.0.0.1) */
  readonly host?: string;
  /** AbletonOSC's port (default 11000) */
  readonly port?: number;
  /** where AbletonOSC answers (default 11001; 0: any free port, for tests) */
  readonly replyPort?: number;
  /** how often Live is asked for its tempo, ms (default 2000) */
  readonly pollMs?: number;
  /** Live is taken as gone after this long without a message, ms (default 5000) */
  readonly timeoutMs?: number;
  readonly warn: (message: string) => void;
  /** milliseconds on a steady clock (default performance.now) */
  readonly now?: () => number;
}

/** The reply port could not be bound, or the host not found: one line. */
export class AbletonSetupError extends Error {}

export interface RunningAbleton {
  readonly clock: AbletonClock;
  /** the UDP port Live's answers arrive on */
  readonly replyPort: number;
  /** e.g. `following Ableton Live at 127.0.0.1:11000 (AbletonOSC)`, for the start-up line */
  readonly description: string;
  dispose(): Promise<void>;
}

/**
 * The residual delay of the beat reports after AbletonClock's de-quantisation (about a tick over
 * nine beats: 100 ms / 9), which the show's PhaseFollower takes as the reports' latency.
 */
const BEAT_LATENCY_SECONDS = 0.01;

/**
 * Follows Ableton Live through AbletonOSC: a UDP socket on the reply port (node:dgram; osc-js
 * decodes and encodes), AbletonClock deciding what it means and what to send, a poll timer.
 * Only datagrams from Live's address are read. Setup problems throw an AbletonSetupError; after
 * that nothing throws (socket errors are warnings). `dispose()` stops the listeners in Live,
 * the timer and the socket.
 */
export async function startAbleton(show: AbletonShow, options: StartAbletonOptions): Promise<RunningAbleton> {
  const hostName = options.host ?? '127.0.0.1';
  const port = options.port ?? ABLETON_PORT;
  const now = options.now ?? (() => performance.now());
  let host: string;
  try {
    host = normaliseAddress((await lookup(hostName, { family: 4 })).address);
  } catch {
    throw new AbletonSetupError(`--ableton ${hostName}: no such host (give the IPv4 address or name of the machine Live runs on)`);
  }
  const where = `Ableton Live at ${host}:${port}`;
  const socket = createSocket('udp4');
  const bind = isLoopbackBind(host) ? '127.0.0.1' : '0.0.0.0';
  const replyPort = options.replyPort ?? ABLETON_REPLY_PORT;
  await new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => {
      socket.close();
      const why = e.code === 'EADDRINUSE' ? `the port is in use: another AbletonOSC client runs on this machine (AbletonOSC answers only on ${ABLETON_REPLY_PORT}; close it)` : e.message;
      reject(new AbletonSetupError(`--ableton: UDP ${bind}:${replyPort} for Live's answers: ${why}`));
    };
    socket.once('error', failed);
    socket.bind(replyPort, bind, () => { socket.off('error', failed); resolve(); });
  });

  const clock = new AbletonClock({ where, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  let closed = false;
  // a lost datagram is a silent Live, which the poll notices: send errors are not reported
  const send = (m: OscOut) => new Promise<void>((resolve) => {
    if (closed) resolve();
    else socket.send(encodeMessage(m), port, host, () => resolve());
  });
  const act = (a: AbletonActions) => {
    for (const m of a.send) void send(m);
    if (a.warning) options.warn(a.warning);
  };
  let warnedSocket = false;
  socket.on('error', (e) => {
    if (!warnedSocket) options.warn(`Ableton Live socket: ${e.message}`);
    warnedSocket = true;
  });
  socket.on('message', (data: Buffer, rinfo: RemoteInfo) => {
    if (normaliseAddress(rinfo.address) !== host) return;
    const decoded = decodePacket(data);
    if (!decoded.ok) return;
    for (const m of decoded.messages) act(clock.handle(m.address, m.args, now()));
  });
  const stopFollowing = show.follow(clock, { latencySeconds: BEAT_LATENCY_SECONDS });
  act(clock.start(now()));
  const poller = setInterval(() => act(clock.poll(now())), options.pollMs ?? 2000);
  poller.unref();
  let disposed: Promise<void> | undefined;
  return {
    clock,
    replyPort: socket.address().port,
    description: `following ${where} (AbletonOSC; answers on UDP ${bind}:${socket.address().port})`,
    dispose() {
      disposed ??= (async () => {
        clearInterval(poller);
        stopFollowing();
        // Live would otherwise keep pushing beats at a port nobody reads
        if (clock.connected) await Promise.all(['tempo', 'is_playing', 'beat'].map((p) => send({ address: `/live/song/stop_listen/${p}`, args: [] })));
        closed = true;
        await new Promise<void>((resolve) => socket.close(() => resolve()));
      })();
      return disposed;
    },
  };
}
