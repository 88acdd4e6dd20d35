import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeMidiBackend } from '../../../control/midi/fakeMidiBackend.js';
import { UserError } from '../../../engine/errors.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { openShow } from '../../../engine/show/openShow.js';
import { tempDir } from '../../helpers/fixtures.js';
import { CollectingSink } from '../../helpers/liveFakes.js';

const PORT = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0';
const host = () => new InlineHost({ sink: new CollectingSink(50), offline: true });

describe('openShow with a MIDI controller', () => {
  it('loads the controller\'s mappings; its knobs steer the show, feedback goes back, dispose closes the ports', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml'), 'device: nanoKONTROL2\nmappings:\n  - { parameter: gain, cc: 0, takeover: jump }\n');
    const backend = new FakeMidiBackend();
    backend.plug(PORT);
    const warnings: string[] = [];
    const show = await openShow({ output: { kind: 'host', host: host() }, onWarning: (w) => warnings.push(w), midi: { device: 'nano', backend: () => backend, mappingDir: dir } });
    backend.play(PORT, { type: 'cc', channel: 0, controller: 0, value: 0 });
    expect(show.engine.state().instant.gain).toBe(0);
    show.engine.command({ type: 'gain', value: 1 }, 'web');
    await new Promise((r) => setTimeout(r, 30));
    expect(backend.sent(PORT)).toEqual([{ type: 'cc', channel: 0, controller: 0, value: 127 }]);
    await show.dispose();
    expect(backend.open.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('a device that is not there is one line naming the ones that are; nothing keeps running', async () => {
    const backend = new FakeMidiBackend();
    backend.plug(PORT);
    const opening = openShow({ output: { kind: 'host', host: host() }, midi: { device: 'Launchpad', backend: () => backend, mappingDir: tempDir() } });
    await expect(opening).rejects.toThrow(UserError);
    await expect(openShow({ output: { kind: 'host', host: host() }, midi: { device: 'Launchpad', backend: () => backend, mappingDir: tempDir() } }))
      .rejects.toThrow(`--midi Launchpad: no MIDI input matches "Launchpad" (connected: "${PORT}")`);
  });

  it('a bad mapping file is one line naming the file and the field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml'), 'device: nanoKONTROL2\nmappings:\n  - { parameter: mix, cc: 0, max: 3 }\n');
    const backend = new FakeMidiBackend();
    backend.plug(PORT);
    await expect(openShow({ output: { kind: 'host', host: host() }, midi: { device: 'nano', backend: () => backend, mappingDir: dir } }))
      .rejects.toThrow(`${join(dir, 'nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml')}: mappings[0].max: 3 is outside mix's range 0–1`);
  });
});
