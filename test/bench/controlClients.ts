import { type Socket, createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeMidiBackend } from '../../control/midi/fakeMidiBackend.js';
import { encodeMessage } from '../../control/osc/oscCodec.js';
import WebSocket from 'ws';

/** A control surface as a client sees it: one way to set the gain and the imprint strength. */
export interface BenchClient {
  readonly surface: 'osc' | 'web' | 'midi';
  gain(value: number): void;
  strength(value: number): void;
  filter(value: number): void;
  close(): Promise<void>;
}

/** An OSC client on its own UDP socket (node:dgram; packets as osc-js writes them). */
export async function oscClient(port: number): Promise<BenchClient> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const send = (address: string, value: number) => socket.send(encodeMessage({ address, args: [{ type: 'f', value }] }), port, '127.0.0.1');
  return {
    surface: 'osc',
    gain: (v) => send('/synesthete/gain', v),
    strength: (v) => send('/synesthete/imprint/strength', v),
    filter: (v) => send('/synesthete/filter', v),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

export const MIDI_DEVICE = 'BenchCtl:BenchCtl MIDI 1 20:0';

/** The fake MIDI system with a controller whose CC 7, 8 and 9 are mapped to gain, imprint strength and filter. */
export function midiRig(): { backend: FakeMidiBackend; mappingDir: string; device: string } {
  const backend = new FakeMidiBackend();
  backend.plug(MIDI_DEVICE);
  const mappingDir = mkdtempSync(join(tmpdir(), 'synesthete-bench-midi-'));
  writeFileSync(join(mappingDir, 'BenchCtl-BenchCtl-MIDI-1.yaml'), [
    'device: BenchCtl', 'feedback: false', 'mappings:',
    '  - { parameter: gain, cc: 7, takeover: jump }',
    '  - { parameter: imprint.strength, cc: 8, takeover: jump }',
    '  - { parameter: filter, cc: 9, takeover: jump }', '',
  ].join('\n'));
  return { backend, mappingDir, device: 'BenchCtl' };
}

/** A MIDI controller on the fake backend: values 0–1 become CC values 0–127. */
export function midiClient(backend: FakeMidiBackend): BenchClient {
  const cc = (controller: number, v: number, low = 0) => backend.play(MIDI_DEVICE, { type: 'cc', channel: 0, controller, value: Math.round(low + v * (127 - low)) }, performance.now());
  return {
    surface: 'midi',
    gain: (v) => cc(7, v),
    strength: (v) => cc(8, v),
    filter: (v) => cc(9, (v + 1) / 2),
    close: async () => {},
  };
}

/** A WebSocket client of the web port sending {"type":"command"} messages; it counts the acks. */
export async function webClient(port: number): Promise<BenchClient & { readonly acks: { ok: number; refused: number }; readonly closed: () => boolean }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const acks = { ok: 0, refused: 0 };
  let closed = false;
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { type: string; ok?: boolean };
    if (m.type === 'ack') acks[m.ok ? 'ok' : 'refused']++;
  });
  ws.on('close', () => { closed = true; });
  let id = 0;
  const send = (command: Record<string, unknown>) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'command', id: ++id, command }));
  };
  return {
    surface: 'web', acks, closed: () => closed,
    gain: (value) => send({ type: 'gain', value }),
    strength: (strength) => send({ type: 'imprint', strength }),
    filter: (value) => send({ type: 'filter', value }),
    close: async () => {
      if (closed) return;
      ws.close();
      await new Promise<void>((resolve) => ws.once('close', () => resolve()));
    },
  };
}
