import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMappings, mappingFileName, midiMappingDir, saveMappings } from '../../../control/midi/mappingStore.js';
import { learnFrom, armLearn } from '../../../control/mapping/midiLearn.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'synesthete-midi-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('where mapping files live', () => {
  it('~/.config/synesthete/midi, XDG_CONFIG_HOME, or SYNESTHETE_MIDI_DIR', () => {
    expect(midiMappingDir({}, '/home/ada')).toBe('/home/ada/.config/synesthete/midi');
    expect(midiMappingDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe('/cfg/synesthete/midi');
    expect(midiMappingDir({ SYNESTHETE_MIDI_DIR: '/gig/midi', XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe('/gig/midi');
  });

  it('one file per controller, named without ALSA numbers or awkward characters', () => {
    expect(mappingFileName('nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0')).toBe('nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml');
    expect(mappingFileName('nanoKONTROL2:nanoKONTROL2 MIDI 1 28:0')).toBe('nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml');
    expect(mappingFileName('../../etc/passwd')).toBe('etc-passwd.yaml');
    expect(mappingFileName('***')).toBe('controller.yaml');
  });
});

describe('loading and saving', () => {
  it('a controller without a file has no mappings', async () => {
    const r = await loadMappings(tempDir(), 'Launch Control XL 20:0');
    expect(r).toMatchObject({ ok: true, existed: false, file: { device: 'Launch Control XL', mappings: [] } });
  });

  it('learned mappings are saved and reloaded next time (the directory is created)', async () => {
    const dir = join(tempDir(), 'deep', 'midi');
    const armed = armLearn('gain');
    if (!armed.ok) throw new Error(armed.reason);
    const { mappings } = learnFrom(armed.state, [], 'Launch Control XL 20:0', { type: 'cc', channel: 8, controller: 77, value: 3 });
    const path = await saveMappings(dir, { device: 'Launch Control XL', feedback: true, programChange: ['waltz'], mappings });
    expect(path).toBe(join(dir, 'Launch-Control-XL.yaml'));
    const back = await loadMappings(dir, 'Launch Control XL 24:0');
    expect(back).toMatchObject({ ok: true, existed: true, file: { programChange: ['waltz'], mappings } });
    // no temporary file left behind
    expect(readdirSync(dir)).toEqual(['Launch-Control-XL.yaml']);
    expect(readFileSync(path, 'utf8')).toContain('parameter: gain');
  });

  it('a bad file is one line naming the file and the field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'X.yaml'), 'device: X\nmappings:\n  - parameter: mix\n    cc: 300\n');
    expect(await loadMappings(dir, 'X')).toEqual({ ok: false, reason: `${join(dir, 'X.yaml')}: mappings[0].cc: must be at most 127` });
  });

  it('a huge file is refused without being read', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'X.yaml'), `device: X\n#${'x'.repeat(2 << 20)}\n`);
    const r = await loadMappings(dir, 'X');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/X\.yaml: \d+ bytes is too big for a mapping file/);
  });
});
