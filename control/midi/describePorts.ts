import type { MidiBackend } from './midiBackend.js';
import { mappingFileName } from './mappingStore.js';

/**
 * What `synesthete midi list` prints: the inputs and outputs, each with the mapping file it would
 * use, and how to pick one with --midi.
 */
export function describePorts(backend: MidiBackend): string {
  const inputs = backend.listInputs();
  const outputs = backend.listOutputs();
  if (inputs.length === 0 && outputs.length === 0) return 'no MIDI devices are connected\n';
  const lines = ['MIDI inputs:'];
  for (const name of inputs) lines.push(`  ${name}   (mappings: ${mappingFileName(name)})`);
  if (inputs.length === 0) lines.push('  (none)');
  lines.push('MIDI outputs (LED feedback):');
  for (const name of outputs) lines.push(`  ${name}`);
  if (outputs.length === 0) lines.push('  (none)');
  lines.push('Pick one with --midi NAME (any prefix; the trailing client:port numbers are ignored).');
  return `${lines.join('\n')}\n`;
}
