import { Command } from 'commander';
// The composition roots (engine/cli, engine/show) start control/ adapters: docs/architecture.md.
import { describePorts } from '../../../control/midi/describePorts.js';
import { MidiUnavailableError, openEasymidiBackend } from '../../../control/midi/easymidiBackend.js';
import { midiMappingDir } from '../../../control/midi/mappingStore.js';
import { UserError } from '../../errors.js';
import { runAction } from '../runAction.js';

/** `synesthete midi list`: the MIDI ports there are, and where mappings are kept. */
export function midiCommand(): Command {
  const midi = new Command('midi')
    .summary('MIDI controllers: list the ports (mappings, learn and clock: docs/midi.md)')
    .description('MIDI controllers drive the show through mappings kept as one YAML file per controller (docs/midi.md).');
  midi.addCommand(new Command('list')
    .summary('list MIDI inputs and outputs')
    .description(
      'Lists the MIDI input and output ports (through RtMidi: ALSA on Linux, CoreMIDI on macOS) and the mapping ' +
      `file each input uses, in ${midiMappingDir()} (SYNESTHETE_MIDI_DIR overrides). Where the machine has no MIDI ` +
      'system (Linux without an ALSA sequencer, as in containers) it says so in one line.')
    .addHelpText('after', `
Example:
  $ synesthete midi list
  MIDI inputs:
    nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0   (mappings: nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml)
  ...`)
    .action(runAction(() => {
      let backend;
      try {
        backend = openEasymidiBackend();
      } catch (e) {
        if (e instanceof MidiUnavailableError) throw new UserError(e.message);
        throw e;
      }
      process.stdout.write(describePorts(backend));
    })));
  return midi;
}
