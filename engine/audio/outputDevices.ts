import { UserError } from '../errors.js';

/** What PortAudio reports about one device (the subset of naudiodon's `DeviceInfo` we use). */
export interface OutputDeviceInfo {
  /** PortAudio device index: only stable while the set of devices does not change. */
  readonly id: number;
  readonly name: string;
  readonly maxOutputChannels: number;
  /** Input channels (0 or absent: not an input). */
  readonly maxInputChannels?: number;
  /** Hz. */
  readonly defaultSampleRate: number;
  /** Seconds; PortAudio's suggested latency for interactive use (0 for ALSA plugin devices). */
  readonly defaultLowOutputLatency: number;
  /** Seconds; PortAudio's suggested input latency for interactive use. */
  readonly defaultLowInputLatency?: number;
  /** E.g. "ALSA". */
  readonly hostAPIName: string;
}

/**
 * How a user names an output: a PortAudio index, or part of the device name (case-insensitive).
 * A string of digits counts as an index, so a CLI flag can pass either. `undefined` (or an empty
 * string) means the system default output.
 */
export type DeviceSelector = string | number | undefined;

/**
 * Pick the output device a selector names.
 *
 * Names match case-insensitively: an exact match wins, otherwise the name must be a substring of
 * exactly one device. Only devices with at least `channels` output channels are candidates.
 *
 * @returns the chosen device, or `undefined` for "the default output" (no selector)
 * @throws UserError naming the selector and listing the available outputs, when nothing or more
 *   than one device matches (a setup error must teach the valid values).
 * @example
 * ```ts
 * selectOutputDevice(devices, 'PULSE', 2); // the device named "pulse"
 * selectOutputDevice(devices, '3', 2);     // the device with index 3
 * ```
 */
export function selectOutputDevice(devices: readonly OutputDeviceInfo[], selector: DeviceSelector, channels: number): OutputDeviceInfo | undefined {
  return selectDevice(devices, selector, channels, 'output');
}

/**
 * Pick the input device a selector names (`perform --listen INPUT`), by the rules of
 * {@link selectOutputDevice}: an index, or part of the name; only devices with at least
 * `channels` input channels are candidates.
 */
export function selectInputDevice(devices: readonly OutputDeviceInfo[], selector: DeviceSelector, channels = 1): OutputDeviceInfo | undefined {
  return selectDevice(devices, selector, channels, 'input');
}

type Direction = 'output' | 'input';

/** A device's channels in one direction. */
export function channelsOf(d: OutputDeviceInfo, direction: Direction): number {
  return direction === 'output' ? d.maxOutputChannels : d.maxInputChannels ?? 0;
}

function selectDevice(devices: readonly OutputDeviceInfo[], selector: DeviceSelector, channels: number, direction: Direction): OutputDeviceInfo | undefined {
  if (selector === undefined || selector === '') return undefined;
  const candidates = devices.filter((d) => channelsOf(d, direction) >= channels);
  const describe = () => direction === 'output' ? describeOutputs(devices, channels) : describeInputs(devices, channels);
  if (typeof selector === 'number' || /^\d+$/.test(selector)) {
    const id = Number(selector);
    const found = candidates.find((d) => d.id === id);
    if (!found) throw new UserError(`no audio ${direction} with index ${id} (${channels} channel${channels === 1 ? '' : 's'}); ${describe()}`);
    return found;
  }
  const wanted = selector.toLowerCase();
  const exact = candidates.filter((d) => d.name.toLowerCase() === wanted);
  if (exact.length === 1) return exact[0];
  const partial = candidates.filter((d) => d.name.toLowerCase().includes(wanted));
  if (partial.length === 1) return partial[0];
  if (partial.length === 0) throw new UserError(`no audio ${direction} matches "${selector}" (${channels} channel${channels === 1 ? '' : 's'}); ${describe()}`);
  throw new UserError(
    `audio ${direction} "${selector}" is ambiguous, it matches ${partial.map((d) => `${d.id} "${d.name}"`).join(', ')}; use more of the name or the index`,
  );
}

/** One line listing the usable inputs, for error messages. */
export function describeInputs(devices: readonly OutputDeviceInfo[], channels = 1): string {
  const inputs = devices.filter((d) => channelsOf(d, 'input') >= channels);
  if (inputs.length === 0) {
    return devices.length === 0
      ? 'PortAudio found no audio devices at all (no sound card, or no ALSA plugin such as pulse/pipewire)'
      : 'PortAudio found no audio input (connect the mixer\'s record out to a sound card input)';
  }
  return `available: ${inputs.map((d) => `${d.id} "${d.name}" (${d.hostAPIName}, ${d.maxInputChannels} ch in)`).join(', ')}`;
}

/** One line listing the usable outputs, for error messages. */
export function describeOutputs(devices: readonly OutputDeviceInfo[], channels: number): string {
  const outputs = devices.filter((d) => d.maxOutputChannels >= channels);
  if (outputs.length === 0) {
    const why = devices.length === 0
      ? 'PortAudio found no audio devices at all (no sound card, or no ALSA plugin such as pulse/pipewire)'
      : `PortAudio found no device with ${channels} output channels`;
    return `${why}; to play into a file instead, use --wav FILE`;
  }
  return `available: ${outputs.map((d) => `${d.id} "${d.name}" (${d.hostAPIName}, ${d.maxOutputChannels} ch)`).join(', ')}`;
}
