import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MidiMessage } from '../mapping/midiMessage.js';
import { type MidiBackend, type MidiInputPort, type MidiListener, type MidiOutputPort, MidiSetupError } from './midiBackend.js';

/** MIDI cannot be used on this machine; `message` is one line for the performer. */
export class MidiUnavailableError extends MidiSetupError {
  override readonly name = 'MidiUnavailableError';
}

type Easymidi = typeof import('easymidi');

/**
 * The real MIDI system, through easymidi (RtMidi: ALSA on Linux, CoreMIDI, Windows MM). Loaded
 * only when called, so a show without `--midi` never loads the native module. Where there is no
 * MIDI system (Linux without an ALSA sequencer, as on containers and CI) it throws a
 * MidiUnavailableError with one line instead of RtMidi's "Failed to initialise RtMidi".
 *
 * Not tested here: these machines have no /dev/snd/seq (docs/midi.md).
 */
export function openEasymidiBackend(): MidiBackend {
  // RtMidi prints ALSA's own complaint on stderr before failing; checking first keeps it quiet
  if (process.platform === 'linux' && !existsSync('/dev/snd/seq')) {
    throw new MidiUnavailableError('MIDI is not available: no ALSA sequencer on this machine (/dev/snd/seq is missing; load the snd-seq kernel module)');
  }
  let easymidi: Easymidi;
  try {
    easymidi = createRequire(import.meta.url)('easymidi') as Easymidi;
    // listing starts RtMidi: this is where a missing MIDI system shows
    easymidi.getInputs();
  } catch (e) {
    throw new MidiUnavailableError(`MIDI is not available: ${firstLine((e as Error).message)}`);
  }
  return new EasymidiBackend(easymidi);
}

class EasymidiBackend implements MidiBackend {
  constructor(private readonly easymidi: Easymidi) {}

  listInputs(): string[] {
    return this.easymidi.getInputs();
  }

  listOutputs(): string[] {
    return this.easymidi.getOutputs();
  }

  openInput(name: string): MidiInputPort {
    const input = new this.easymidi.Input(name);
    return {
      name,
      onMessage: (listener: MidiListener) => {
        // easymidi drops RtMidi's timestamps: arrival on the event loop is the best left (the
        // MIDI clock averages 24–96 ticks, which hides the loop's jitter)
        const handler = (raw: Record<string, unknown>) => {
          const message = fromEasymidi(raw);
          if (message !== null) listener(message, performance.now());
        };
        // 'message' carries every kind, tagged with `_type` (missing from easymidi's typings)
        const emitter = input as unknown as NodeJS.EventEmitter;
        emitter.on('message', handler);
        return () => void emitter.off('message', handler);
      },
      close: () => input.close(),
    };
  }

  openOutput(name: string): MidiOutputPort {
    const output = new this.easymidi.Output(name);
    return {
      name,
      send: (message: MidiMessage) => {
        const { type, ...params } = message;
        (output.send as (type: string, params?: object) => void)(type, type === 'clock' || type === 'start' || type === 'stop' || type === 'continue' ? undefined : params);
      },
      close: () => output.close(),
    };
  }
}

/** easymidi's message objects (`_type` plus fields) as MidiMessages; null for the kinds the show does not use. */
export function fromEasymidi(raw: Record<string, unknown>): MidiMessage | null {
  const n = (key: string) => Number(raw[key]);
  switch (raw._type) {
    case 'cc': return { type: 'cc', channel: n('channel'), controller: n('controller'), value: n('value') };
    case 'noteon': return { type: 'noteon', channel: n('channel'), note: n('note'), velocity: n('velocity') };
    case 'noteoff': return { type: 'noteoff', channel: n('channel'), note: n('note'), velocity: n('velocity') };
    case 'program': return { type: 'program', channel: n('channel'), number: n('number') };
    case 'position': return { type: 'position', value: n('value') };
    case 'clock': case 'start': case 'stop': case 'continue': return { type: raw._type };
    default: return null;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
