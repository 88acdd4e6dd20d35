import { type PortAudioBackend, probeDevices } from '../audio/naudiodonBackend.js';
import { type OutputDeviceInfo, describeInputs, describeOutputs } from '../audio/outputDevices.js';

/**
 * The sound-card outputs as a table for a performer at a venue (the first thing to check): index,
 * name, host API, output channels, default rate, and the `--audio-device` value that picks each.
 * With none, one line saying so and suggesting `--wav`. Pure: formats what it is given.
 *
 * @example
 * formatDeviceList([{ id: 1, name: 'pulse', hostAPIName: 'ALSA', maxOutputChannels: 32, defaultSampleRate: 44100, defaultLowOutputLatency: 0 }]);
 * // '  1  pulse  ALSA, 32 ch, 44100 Hz  (--audio-device 1 or --audio-device "pulse")\n'
 */
export function formatDeviceList(devices: readonly OutputDeviceInfo[], channels = 2): string {
  return formatOutputs(devices, channels) + formatInputs(devices);
}

/**
 * The inputs `perform --listen` can take (a DJ mixer's record out), after a heading; one line
 * saying so when there are none.
 */
export function formatInputs(devices: readonly OutputDeviceInfo[]): string {
  const inputs = devices.filter((d) => (d.maxInputChannels ?? 0) > 0);
  if (inputs.length === 0) return `no audio inputs for --listen: ${describeInputs(devices)}\n`;
  const idWidth = Math.max(...inputs.map((d) => String(d.id).length));
  const nameWidth = Math.max(...inputs.map((d) => d.name.length));
  return 'inputs for --listen:\n' + inputs.map((d) =>
    `${String(d.id).padStart(idWidth + 2)}  ${d.name.padEnd(nameWidth)}  ${d.hostAPIName}, ${d.maxInputChannels} ch in, ${d.defaultSampleRate} Hz  (--listen ${d.id} or --listen ${JSON.stringify(d.name)})`,
  ).join('\n') + '\n';
}

function formatOutputs(devices: readonly OutputDeviceInfo[], channels: number): string {
  const outputs = devices.filter((d) => d.maxOutputChannels > 0);
  if (!outputs.some((d) => d.maxOutputChannels >= channels)) return `no audio outputs: ${describeOutputs(devices, channels)}\n`;
  const idWidth = Math.max(...outputs.map((d) => String(d.id).length));
  const nameWidth = Math.max(...outputs.map((d) => d.name.length));
  return outputs.map((d) => {
    const usable = d.maxOutputChannels >= channels ? `  (--audio-device ${d.id} or --audio-device ${JSON.stringify(d.name)})` : `  (fewer than ${channels} channels)`;
    return `${String(d.id).padStart(idWidth + 2)}  ${d.name.padEnd(nameWidth)}  ${d.hostAPIName}, ${d.maxOutputChannels} ch, ${d.defaultSampleRate} Hz${usable}`;
  }).join('\n') + '\n';
}

/**
 * `perform --list-devices`: prints the outputs and inputs PortAudio sees on stdout (library noise from ALSA
 * and JACK stays hidden, see naudiodonBackend.ts). Wire it as an option whose action calls this
 * and exits.
 *
 * @param backend a PortAudio backend (tests pass a fake); default: naudiodon
 */
export async function listDevices(write: (text: string) => void = (t) => process.stdout.write(t), backend?: PortAudioBackend): Promise<void> {
  // the list from a child process first: PortAudio's enumeration prints ALSA noise in-process
  const probed = backend ? undefined : probeDevices();
  const b = probed ? undefined : backend ?? (await import('../audio/naudiodonBackend.js')).loadNaudiodon();
  write(formatDeviceList(probed ?? b!.getDevices()));
}
