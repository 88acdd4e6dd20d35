import type { MidiMapping } from '../mapping/midiMapping.js';
import type { EngineEvent, EngineState } from '../protocol/index.js';
import { type ClockReports, MidiClock } from './midiClock.js';
import { type MidiBackend, MidiSetupError, findPort, noSuchPort } from './midiBackend.js';
import { MidiConnection } from './midiConnection.js';
import { loadMappings, midiMappingDir, saveMappings } from './mappingStore.js';
import { MidiSurface } from './midiSurface.js';

/** What the MIDI surface needs of a show (a LiveEngine has all of it). */
export interface MidiShow {
  command(input: unknown, surface: 'midi'): { ok: true } | { ok: false; reason: string };
  state(): EngineState;
  readonly events: { subscribe(listener: (event: EngineEvent) => void): () => void };
  follow(clock: ClockReports): () => void;
}

export interface StartMidiOptions {
  /** `--midi NAME`: a port name prefix */
  readonly device: string;
  /** follow the device's MIDI clock (tempo and beats) */
  readonly clock?: boolean;
  /** the MIDI system (default: easymidi, loaded only now) */
  readonly backend?: () => MidiBackend;
  /** where mapping files are (default: `midiMappingDir()`) */
  readonly mappingDir?: string;
  readonly warn: (message: string) => void;
  /** every finished MIDI learn: the parameter and one line naming the control (the page shows it) */
  readonly onLearned?: (parameter: string, mapping: string) => void;
  /** how often the port list is polled for hot-plug (default 1000 ms) */
  readonly pollMs?: number;
}

export interface RunningMidi {
  readonly surface: MidiSurface;
  readonly connection: MidiConnection;
  /** the mapping file in use (it may not exist yet) */
  readonly mappingFile: string;
  dispose(): void;
}

/**
 * Starts the MIDI surface on a show: opens the device, loads its mappings, follows its clock if
 * asked, and keeps it open across unplugging. Setup problems throw a MidiSetupError with one line
 * (no MIDI system, no such device with the list of those there are, a bad mapping file); after
 * that nothing throws. `dispose()` stops the timers and closes the ports.
 */
export async function startMidi(show: MidiShow, options: StartMidiOptions): Promise<RunningMidi> {
  const backend = options.backend ? options.backend() : (await import('./easymidiBackend.js')).openEasymidiBackend();
  const inputs = backend.listInputs();
  const port = findPort(inputs, options.device);
  if (port === null) throw new MidiSetupError(`--midi ${options.device}: ${noSuchPort(options.device, inputs)}`);
  const dir = options.mappingDir ?? midiMappingDir();
  const loaded = await loadMappings(dir, port);
  if (!loaded.ok) throw new MidiSetupError(loaded.reason);
  const file = loaded.file;

  const clock = options.clock ? new MidiClock({ name: file.device }) : undefined;
  let connection: MidiConnection | undefined;
  let feedbackTimer: NodeJS.Timeout | undefined;
  const surface = new MidiSurface({
    mappings: file.mappings,
    programChange: file.programChange,
    submit: (c) => show.command(c, 'midi'),
    readState: () => show.state(),
    ...(clock ? { clock } : {}),
    ...(file.feedback ? { send: (m) => connection?.send(m) } : {}),
    report: options.warn,
    onLearned: (r) => {
      options.onLearned?.(r.learned!.parameter, describeMapping(r.learned!));
      saveMappings(dir, { ...file, mappings: r.mappings }).catch((e: unknown) => options.warn(`MIDI learn: the mapping works but could not be saved (${(e as Error).message})`));
    },
  });
  const pump = () => {
    feedbackTimer = undefined;
    surface.pump(performance.now());
    const next = surface.nextFeedbackAt();
    if (next !== null) feedbackTimer = setTimeout(pump, Math.max(0, next - performance.now()));
  };
  connection = new MidiConnection({
    backend, device: port, feedback: file.feedback, warn: options.warn,
    onMessage: (m, at) => surface.handle(connection!.inputName ?? port, m, at),
  });
  connection.poll();
  const stopObserving = show.events.subscribe((e) => {
    surface.observe(e);
    if (feedbackTimer === undefined && surface.nextFeedbackAt() !== null) feedbackTimer = setTimeout(pump, 0);
  });
  const stopFollowing = clock ? show.follow(clock) : undefined;
  const poller = setInterval(() => connection!.poll(), options.pollMs ?? 1000);
  poller.unref();
  return {
    surface, connection, mappingFile: loaded.path,
    dispose() {
      clearInterval(poller);
      if (feedbackTimer !== undefined) clearTimeout(feedbackTimer);
      stopObserving();
      stopFollowing?.();
      connection!.dispose();
    },
  };
}

/** `cc 21 on channel 1 (nanoKONTROL2)`: the control a learn mapped, for the page. */
function describeMapping(m: MidiMapping): string {
  return `${m.kind} ${m.number} on channel ${m.channel} (${m.device})`;
}
