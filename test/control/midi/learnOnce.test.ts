import { describe, expect, it } from 'vitest';
import { FakeMidiBackend } from '../../../control/midi/fakeMidiBackend.js';
import { learnOnce } from '../../../control/midi/learnOnce.js';
import { MidiSetupError } from '../../../control/midi/midiBackend.js';
import { loadMappings } from '../../../control/midi/mappingStore.js';
import { tempDir } from '../../helpers/fixtures.js';

const PORT = 'Launch Control XL:Launch Control XL MIDI 1 20:0';

/** learnOnce reads the mapping file before it opens the port: wait until it listens. */
async function listening(backend: FakeMidiBackend): Promise<void> {
  for (let i = 0; i < 200 && backend.open.size === 0; i++) await new Promise((r) => setTimeout(r, 5));
  expect(backend.open.size).toBe(1);
}

describe('synesthete midi learn (learnOnce)', () => {
  it('waits for a control, maps it, saves it; a second learn on the same knob replaces the first', async () => {
    const dir = tempDir();
    const backend = new FakeMidiBackend();
    backend.plug(PORT);
    const first = learnOnce({ backend, device: 'Launch', parameter: 'gain', mappingDir: dir });
    await listening(backend);
    backend.play(PORT, { type: 'noteoff', channel: 0, note: 3, velocity: 0 }); // does not count
    backend.play(PORT, { type: 'cc', channel: 8, controller: 77, value: 40 });
    const r = await first;
    expect(r.learned).toMatchObject({ kind: 'cc', channel: 8, number: 77, parameter: 'gain' });
    const second = learnOnce({ backend, device: 'Launch', parameter: 'filter', mappingDir: dir });
    await listening(backend);
    backend.play(PORT, { type: 'cc', channel: 8, controller: 77, value: 41 });
    expect((await second).replaced?.parameter).toBe('gain');
    const saved = await loadMappings(dir, PORT);
    expect(saved.ok && saved.file.mappings.map((m) => m.parameter)).toEqual(['filter']);
    expect(backend.open.size).toBe(0);
  });

  it('one line for a parameter that cannot be mapped, a missing device, or an abort', async () => {
    const backend = new FakeMidiBackend();
    backend.plug(PORT);
    await expect(learnOnce({ backend, device: 'Launch', parameter: 'prompt.picture', mappingDir: tempDir() })).rejects.toThrow(MidiSetupError);
    await expect(learnOnce({ backend, device: 'APC', parameter: 'mix', mappingDir: tempDir() })).rejects.toThrow(`--midi APC: no MIDI input matches "APC" (connected: "${PORT}")`);
    const controller = new AbortController();
    const waiting = learnOnce({ backend, device: 'Launch', parameter: 'mix', mappingDir: tempDir(), signal: controller.signal });
    await listening(backend);
    controller.abort();
    await expect(waiting).rejects.toThrow('MIDI learn for mix: stopped before a control was moved');
    expect(backend.open.size).toBe(0);
  });
});
