import { type Socket, createSocket } from 'node:dgram';
import { decodePacket, encodeMessage } from '../../control/osc/oscCodec.js';
import type { OscArg } from '../../control/osc/oscAddressSpace.js';

/**
 * Ableton Live with AbletonOSC as seen from the network, over real UDP: listens on `port`,
 * answers getters and pushes listened properties to the sender's address on `replyPort` (the way
 * AbletonOSC does: not to the port the request came from), processes requests on a ~100 ms tick,
 * sends `/live/song/get/beat N` on the first tick after each beat, and the current value at once
 * on `start_listen`. `stop()` is Live quitting (listeners forgotten); `start()` again on the same
 * port is Live coming back.
 */
export class FakeAbletonLive {
  /** every address received, in order */
  readonly received: string[] = [];
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listening = new Set<string>();
  private client: string | undefined;
  private inbox: Array<{ address: string; args: readonly OscArg[] }> = [];
  private startedAt = 0;
  private beatsSent = -1;

  constructor(private tempo: number, readonly replyPort: () => number, private port = 0, private readonly tickMs = 100) {}

  /** the UDP port Live listens on */
  get listenPort(): number {
    return this.port;
  }

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(this.port, '127.0.0.1', resolve));
    this.port = socket.address().port;
    socket.on('message', (data, rinfo) => {
      this.client = rinfo.address;
      const decoded = decodePacket(data);
      if (decoded.ok) for (const m of decoded.messages) this.inbox.push(m);
    });
    this.socket = socket;
    this.startedAt = performance.now();
    this.beatsSent = -1;
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.listening.clear();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Changes Live's tempo (pushed to a listening client on the next tick). */
  setTempo(bpm: number): void {
    this.tempo = bpm;
    this.push('tempo');
  }

  private tick(): void {
    for (const { address } of this.inbox.splice(0)) {
      this.received.push(address);
      const listen = /^\/live\/song\/(start|stop)_listen\/(\w+)$/.exec(address);
      if (listen) {
        if (listen[1] === 'stop') this.listening.delete(listen[2]!);
        else {
          this.listening.add(listen[2]!);
          if (listen[2] !== 'beat') this.push(listen[2]!);
        }
      } else if (address === '/live/song/get/tempo') this.send('/live/song/get/tempo', [{ type: 'f', value: this.tempo }]);
    }
    const beat = Math.floor((performance.now() - this.startedAt) / (60_000 / this.tempo));
    if (beat > this.beatsSent) {
      this.beatsSent = beat;
      if (this.listening.has('beat')) this.send('/live/song/get/beat', [{ type: 'i', value: beat }]);
    }
  }

  private push(property: string): void {
    if (!this.listening.has(property)) return;
    if (property === 'tempo') this.send('/live/song/get/tempo', [{ type: 'f', value: this.tempo }]);
    if (property === 'is_playing') this.send('/live/song/get/is_playing', [{ type: 'T', value: true }]);
  }

  private send(address: string, args: OscArg[]): void {
    if (this.socket && this.client) this.socket.send(encodeMessage({ address, args }), this.replyPort(), this.client);
  }
}
