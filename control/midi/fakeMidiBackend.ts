import type { MidiMessage } from '../mapping/midiMessage.js';
import type { MidiBackend, MidiInputPort, MidiListener, MidiOutputPort } from './midiBackend.js';

/**
 * A MIDI system in memory, for tests and for trying the surfaces on machines without MIDI:
 * plug and unplug devices, play messages into inputs, read what was sent to outputs.
 */
export class FakeMidiBackend implements MidiBackend {
  private readonly inputs = new Map<string, Set<MidiListener>>();
  private readonly outputs = new Map<string, MidiMessage[]>();
  /** every port opened and not yet closed, by name */
  readonly open = new Map<string, number>();

  /** Connects a device: an input and an output of the same name (like most controllers). */
  plug(name: string, options: { input?: boolean; output?: boolean } = {}): void {
    if (options.input ?? true) this.inputs.set(name, new Set());
    if (options.output ?? true) this.outputs.set(name, []);
  }

  /** Disconnects a device: its ports vanish from the lists and stop delivering. */
  unplug(name: string): void {
    this.inputs.delete(name);
    this.outputs.delete(name);
  }

  /** A message from the device's input, arriving at `atMs`. */
  play(name: string, message: MidiMessage, atMs = 0): void {
    for (const l of this.inputs.get(name) ?? []) l(message, atMs);
  }

  /** What was sent to the device's output since it was plugged in. */
  sent(name: string): readonly MidiMessage[] {
    return this.outputs.get(name) ?? [];
  }

  listInputs(): string[] {
    return [...this.inputs.keys()];
  }

  listOutputs(): string[] {
    return [...this.outputs.keys()];
  }

  openInput(name: string): MidiInputPort {
    const listeners = this.inputs.get(name);
    if (listeners === undefined) throw new Error(`No MIDI input found with name: ${name}`);
    const mine = new Set<MidiListener>();
    this.count(name, 1);
    let closed = false;
    return {
      name,
      onMessage: (listener) => {
        const wrapped: MidiListener = (m, at) => listener(m, at);
        mine.add(wrapped);
        listeners.add(wrapped);
        return () => { listeners.delete(wrapped); mine.delete(wrapped); };
      },
      close: () => {
        if (closed) return;
        closed = true;
        for (const l of mine) listeners.delete(l);
        this.count(name, -1);
      },
    };
  }

  openOutput(name: string): MidiOutputPort {
    const log = this.outputs.get(name);
    if (log === undefined) throw new Error(`No MIDI output found with name: ${name}`);
    this.count(`${name} (out)`, 1);
    let closed = false;
    return {
      name,
      send: (message) => {
        // a vanished device swallows what is sent, as RtMidi does
        if (!closed && this.outputs.get(name) === log) log.push(message);
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.count(`${name} (out)`, -1);
      },
    };
  }

  private count(key: string, by: number): void {
    const n = (this.open.get(key) ?? 0) + by;
    if (n === 0) this.open.delete(key);
    else this.open.set(key, n);
  }
}
