import type { MidiMessage } from '../mapping/midiMessage.js';
import type { MidiBackend, MidiInputPort, MidiListener, MidiOutputPort } from './midiBackend.js';
import { type PortWatch, openFailed, pollPorts, watchFor } from './portWatcher.js';

export interface MidiConnectionOptions {
  readonly backend: MidiBackend;
  /** the device name or prefix (`--midi NAME`) */
  readonly device: string;
  readonly onMessage: MidiListener;
  /** warnings for the show's event bus (a port lost, a port back) */
  readonly warn: (message: string) => void;
  /** also open the output of the same name, for LED feedback */
  readonly feedback?: boolean;
}

/**
 * A device's input (and output, for feedback) kept open across unplugging: `poll()` (every second
 * or so, from the caller's timer) reopens ports that came back, with one warning each way.
 * `send` to a device that is gone does nothing. `dispose()` closes everything.
 */
export class MidiConnection {
  private input: PortWatch;
  private output: PortWatch;
  private inputPort: MidiInputPort | null = null;
  private outputPort: MidiOutputPort | null = null;
  private stopListening: (() => void) | null = null;
  private disposed = false;

  constructor(private readonly options: MidiConnectionOptions) {
    this.input = watchFor(options.device);
    this.output = watchFor(options.device);
  }

  /** the input port open now, or null while the device is away */
  get inputName(): string | null {
    return this.inputPort?.name ?? null;
  }

  get outputName(): string | null {
    return this.outputPort?.name ?? null;
  }

  /** Checks the port lists once and opens, closes or reopens ports to match. */
  poll(): void {
    if (this.disposed) return;
    const { backend, warn } = this.options;
    const inStep = pollPorts(this.input, backend.listInputs());
    this.input = inStep.watch;
    if (inStep.warning) warn(inStep.warning);
    for (const a of inStep.actions) {
      if (a.kind === 'close') this.closeInput();
      else {
        try {
          this.inputPort = backend.openInput(a.port);
          this.stopListening = this.inputPort.onMessage(this.options.onMessage);
        } catch {
          this.input = openFailed(this.input);
        }
      }
    }
    if (!this.options.feedback) return;
    // the output follows the input silently: one warning per device is enough
    const outStep = pollPorts(this.output, backend.listOutputs());
    this.output = outStep.watch;
    for (const a of outStep.actions) {
      if (a.kind === 'close') this.closeOutput();
      else {
        try {
          this.outputPort = backend.openOutput(a.port);
        } catch {
          this.output = openFailed(this.output);
        }
      }
    }
  }

  send(message: MidiMessage): void {
    this.outputPort?.send(message);
  }

  dispose(): void {
    this.disposed = true;
    this.closeInput();
    this.closeOutput();
  }

  private closeInput(): void {
    this.stopListening?.();
    this.stopListening = null;
    this.inputPort?.close();
    this.inputPort = null;
  }

  private closeOutput(): void {
    this.outputPort?.close();
    this.outputPort = null;
  }
}
