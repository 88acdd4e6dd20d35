import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describePorts } from '../../../control/midi/describePorts.js';
import { FakeMidiBackend } from '../../../control/midi/fakeMidiBackend.js';
import { synesthete } from '../../helpers/cli.js';

describe('synesthete midi list', () => {
  it('lists inputs with their mapping files, and outputs', () => {
    const backend = new FakeMidiBackend();
    backend.plug('nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0');
    backend.plug('Digitakt:Digitakt MIDI 1 28:0', { output: false });
    expect(describePorts(backend)).toBe([
      'MIDI inputs:',
      '  nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0   (mappings: nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml)',
      '  Digitakt:Digitakt MIDI 1 28:0   (mappings: Digitakt-Digitakt-MIDI-1.yaml)',
      'MIDI outputs (LED feedback):',
      '  nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0',
      'Pick one with --midi NAME (any prefix; the trailing client:port numbers are ignored).',
      '',
    ].join('\n'));
    expect(describePorts(new FakeMidiBackend())).toBe('no MIDI devices are connected\n');
  });

  it('on a machine without MIDI: exit 1 and one line (where there is MIDI: the list)', () => {
    const r = synesthete('midi', 'list');
    if (process.platform === 'linux' && !existsSync('/dev/snd/seq')) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('synesthete: MIDI is not available: no ALSA sequencer on this machine (/dev/snd/seq is missing; load the snd-seq kernel module)\n');
    } else {
      expect(r.code === 0 || r.stderr.split('\n').length === 2).toBe(true);
    }
  });

  it('midi learn on a machine without MIDI: exit 1 and one line, before waiting for anything', () => {
    const r = synesthete('midi', 'learn', 'mix', '--midi', 'nano', '--timeout', '1');
    if (process.platform === 'linux' && !existsSync('/dev/snd/seq')) {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('synesthete: MIDI is not available: no ALSA sequencer on this machine (/dev/snd/seq is missing; load the snd-seq kernel module)\n');
    } else {
      expect(r.code === 0 || r.stderr.trimEnd().split('\n').length <= 2).toBe(true);
    }
  });
});
