import type { MidiMessage } from '../mapping/midiMessage.js';
import { deviceMatches, stripPortNumbers } from '../mapping/midiMapping.js';

/** MIDI could not be set up (no MIDI system, no such device, a bad mapping file): `message` is one line. */
export class MidiSetupError extends Error {
  override readonly name: string = 'MidiSetupError';
}

/** A message listener: `atMs` is when it arrived (milliseconds on a monotonic clock). */
export type MidiListener = (message: MidiMessage, atMs: number) => void;

export interface MidiInputPort {
  readonly name: string;
  /** Calls `listener` with every message; returns the function that stops listening. */
  onMessage(listener: MidiListener): () => void;
  close(): void;
}

export interface MidiOutputPort {
  readonly name: string;
  send(message: MidiMessage): void;
  close(): void;
}

/**
 * The MIDI system as the show sees it: ports by name. The only implementation that touches a
 * native module is `easymidiBackend.ts`; tests use `FakeMidiBackend`. Opening a port that is not
 * there throws; listing never does.
 */
export interface MidiBackend {
  listInputs(): string[];
  listOutputs(): string[];
  openInput(name: string): MidiInputPort;
  openOutput(name: string): MidiOutputPort;
}

/**
 * The port a name refers to: the same name without ALSA's `client:port` numbers first, else the
 * first port it is a prefix of; null when none.
 */
export function findPort(ports: readonly string[], wanted: string): string | null {
  const bare = stripPortNumbers(wanted);
  return ports.find((p) => stripPortNumbers(p) === bare) ?? ports.find((p) => deviceMatches(bare, p)) ?? null;
}

/** One line for `--midi NAME` that matches nothing, listing what there is. */
export function noSuchPort(wanted: string, ports: readonly string[]): string {
  return ports.length === 0
    ? `no MIDI input matches "${wanted}": no MIDI inputs are connected`
    : `no MIDI input matches "${wanted}" (connected: ${ports.map((p) => `"${p}"`).join(', ')})`;
}
