import type { MidiMapping } from '../mapping/midiMapping.js';
import { armLearn, learnFrom } from '../mapping/midiLearn.js';
import { type MidiBackend, MidiSetupError, findPort, noSuchPort } from './midiBackend.js';
import { MidiConnection } from './midiConnection.js';
import { loadMappings, saveMappings } from './mappingStore.js';

export interface LearnOnceOptions {
  readonly backend: MidiBackend;
  /** a port name prefix */
  readonly device: string;
  readonly parameter: string;
  readonly mappingDir: string;
  /** gives up (MidiSetupError) when aborted, e.g. on Ctrl+C or a timeout */
  readonly signal?: AbortSignal;
}

export interface LearnedOnce {
  readonly learned: MidiMapping;
  readonly replaced?: MidiMapping;
  /** the mapping file it was saved to */
  readonly path: string;
}

/**
 * `synesthete midi learn`: arms learn for one parameter, waits for the next CC or note-on from the
 * device, and saves the mapping to the device's file (other mappings kept, one on the same control
 * replaced). Setup problems and an abort are a MidiSetupError with one line.
 */
export async function learnOnce(options: LearnOnceOptions): Promise<LearnedOnce> {
  const armed = armLearn(options.parameter);
  if (!armed.ok) throw new MidiSetupError(armed.reason);
  const inputs = options.backend.listInputs();
  const port = findPort(inputs, options.device);
  if (port === null) throw new MidiSetupError(`--midi ${options.device}: ${noSuchPort(options.device, inputs)}`);
  const loaded = await loadMappings(options.mappingDir, port);
  if (!loaded.ok) throw new MidiSetupError(loaded.reason);
  const file = loaded.file;

  let connection: MidiConnection | undefined;
  const result = await new Promise<{ learned: MidiMapping; replaced?: MidiMapping; mappings: readonly MidiMapping[] }>((resolve, reject) => {
    const abort = () => reject(new MidiSetupError(`MIDI learn for ${options.parameter}: stopped before a control was moved`));
    if (options.signal?.aborted) return abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    connection = new MidiConnection({
      backend: options.backend, device: port, warn: () => undefined,
      onMessage: (message) => {
        const r = learnFrom(armed.state, file.mappings, connection?.inputName ?? port, message);
        if (r.learned === undefined) return;
        options.signal?.removeEventListener('abort', abort);
        resolve(r.replaced ? { learned: r.learned, replaced: r.replaced, mappings: r.mappings } : { learned: r.learned, mappings: r.mappings });
      },
    });
    connection.poll();
  }).finally(() => connection?.dispose());
  const path = await saveMappings(options.mappingDir, { ...file, mappings: result.mappings });
  return result.replaced ? { learned: result.learned, replaced: result.replaced, path } : { learned: result.learned, path };
}
