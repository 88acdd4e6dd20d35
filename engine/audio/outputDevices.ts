import { UserError } from '../errors.js';

/** What PortAudio reports about one device (the subset of naudiodon's `DeviceInfo` we use). */
export interface OutputDeviceInfo {
  /** PortAudio device index: only stable while the set of devices does not change. */
  readonly id: number;
  readonly name: string;
  readonly maxOutputChannels: number;
  /** Hz. */
  readonly defaultSampleRate: number;
  /** Seconds; PortAudio's suggested latency for interactive use (0 for ALSA plugin devices). */
  readonly defaultLowOutputLatency: number;
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
  if (selector === undefined || selector === '') return undefined;
  const outputs = devices.filter((d) => d.maxOutputChannels >= channels);
  if (typeof selector === 'number' || /^\d+$/.test(selector)) {
    const id = Number(selector);
    const found = outputs.find((d) => d.id === id);
    if (!found) throw new UserError(`no audio output with index ${id} (${channels} channels); ${describeOutputs(devices, channels)}`);
    return found;
  }
  const wanted = selector.toLowerCase();
  const exact = outputs.filter((d) => d.name.toLowerCase() === wanted);
  if (exact.length === 1) return exact[0];
  const partial = outputs.filter((d) => d.name.toLowerCase().includes(wanted));
  if (partial.length === 1) return partial[0];
  if (partial.length === 0) throw new UserError(`no audio output matches "${selector}" (${channels} channels); ${describeOutputs(devices, channels)}`);
  throw new UserError(
    `audio output "${selector}" is ambiguous, it matches ${partial.map((d) => `${d.id} "${d.name}"`).join(', ')}; use more of the name or the index`,
  );
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
