import { Command } from 'commander';
// The composition roots (engine/cli, engine/show) start control/ adapters: docs/architecture.md.
import { describePorts } from '../../../control/midi/describePorts.js';
import { MidiUnavailableError, openEasymidiBackend } from '../../../control/midi/easymidiBackend.js';
import { learnOnce } from '../../../control/midi/learnOnce.js';
import { MidiSetupError } from '../../../control/midi/midiBackend.js';
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
      process.stdout.write(describePorts(backend()));
    })));
  midi.addCommand(new Command('learn')
    .summary('map a control: name a parameter, then move a knob or press a pad')
    .description(
      'Waits for the next CC or note-on from the device and maps it to PARAMETER (a name from the parameter table, ' +
      'docs/commands.md) with the defaults of docs/midi.md (whole range, linear, pick-up), replacing any mapping on the ' +
      'same control, and saves it to the device\'s mapping file. Curves, ranges and relative modes are edited in the file.')
    .argument('<parameter>', 'e.g. mix, gain, filter, freeze, tap, quantize')
    .requiredOption('--midi <name>', 'the device (port name prefix; `synesthete midi list`)')
    .option('--timeout <seconds>', 'give up after this long (default: wait until Ctrl+C)')
    .addHelpText('after', `
Example:
  $ synesthete midi learn filter --midi nanoKONTROL2
  move a control on nanoKONTROL2:nanoKONTROL2 MIDI 1 for filter (Ctrl+C to cancel)
  cc 16 on channel 0 now drives filter (saved to ~/.config/synesthete/midi/nanoKONTROL2-nanoKONTROL2-MIDI-1.yaml)`)
    .action(runAction(async (parameter: string, opts: { midi: string; timeout?: string }) => {
      const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
      if (timeout !== undefined && !(timeout > 0)) throw new UserError(`--timeout ${JSON.stringify(opts.timeout)}: expected a number of seconds > 0`);
      const controller = new AbortController();
      const onInt = () => controller.abort();
      process.once('SIGINT', onInt);
      const timer = timeout === undefined ? undefined : setTimeout(() => controller.abort(), timeout * 1000);
      try {
        const midiBackend = backend();
        process.stderr.write(`move a control on ${opts.midi} for ${parameter} (Ctrl+C to cancel)\n`);
        const r = await learnOnce({ backend: midiBackend, device: opts.midi, parameter, mappingDir: midiMappingDir(), signal: controller.signal });
        const what = `${r.learned.kind} ${r.learned.number} on channel ${r.learned.channel}`;
        process.stdout.write(`${what} now drives ${r.learned.parameter}${r.replaced ? ` (was ${r.replaced.parameter})` : ''} (saved to ${r.path})\n`);
      } catch (e) {
        if (e instanceof MidiSetupError) throw new UserError(e.message);
        throw e;
      } finally {
        process.off('SIGINT', onInt);
        if (timer) clearTimeout(timer);
      }
    })));
  return midi;
}

/** The real MIDI system, or one line saying why there is none. */
function backend() {
  try {
    return openEasymidiBackend();
  } catch (e) {
    if (e instanceof MidiUnavailableError) throw new UserError(e.message);
    throw e;
  }
}
