import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';

/**
 * Debian's liblo-tools (`oscsend`, `oscdump`): an OSC implementation independent of ours, so the
 * OSC surface is tested against what other software actually sends and reads. Install with
 * `apt-get install liblo-tools` (.ci/run does); without it these tests fail, they do not skip.
 */

const run = promisify(execFile);

/** `oscsend 127.0.0.1 PORT ADDRESS TYPES VALUES...` */
export async function oscsend(port: number, address: string, types = '', ...values: Array<string | number>): Promise<void> {
  await run('oscsend', ['127.0.0.1', String(port), address, ...(types ? [types, ...values.map(String)] : [])]);
}

/** A UDP port free right now (bound and released). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Polls `condition` until it holds; fails after `timeoutMs` with `what`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One line of oscdump's output: `<timetag> /address types values...` */
export interface DumpedMessage {
  readonly address: string;
  readonly types: string;
  readonly values: string;
}

/** `oscdump -L PORT` running in the background; `messages` fills as it prints. */
export class OscDump {
  readonly messages: DumpedMessage[] = [];
  private readonly child: ChildProcess;
  private stderr = '';

  private constructor(readonly port: number) {
    this.child = spawn('oscdump', ['-L', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const m = /^\S+ (\/\S*) ?(\S*) ?(.*)$/.exec(line);
        if (m) this.messages.push({ address: m[1]!, types: m[2]!, values: m[3]! });
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (text: string) => { this.stderr += text; });
  }

  /** Starts oscdump on a free port and waits until it listens (it answers a probe message). */
  static async start(): Promise<OscDump> {
    const dump = new OscDump(await freeUdpPort());
    const deadline = Date.now() + 5000;
    while (!dump.messages.some((m) => m.address === '/probe')) {
      if (Date.now() > deadline) throw new Error(`oscdump did not start: ${dump.stderr}`);
      await oscsend(dump.port, '/probe');
      await new Promise((r) => setTimeout(r, 50));
    }
    return dump;
  }

  /** Waits for a message on `address` whose values satisfy `match` (a string: equal). */
  async waitFor(address: string, match: string | ((values: string) => boolean), timeoutMs = 5000): Promise<DumpedMessage> {
    const ok = (m: DumpedMessage) => m.address === address && (typeof match === 'string' ? m.values === match : match(m.values));
    await waitUntil(() => this.messages.some(ok), `oscdump to receive ${address} ${String(match)} (got ${this.messages.slice(-5).map((m) => `${m.address} ${m.values}`).join('; ')})`, timeoutMs);
    return this.messages.find(ok)!;
  }

  stop(): void {
    this.child.kill();
  }
}
