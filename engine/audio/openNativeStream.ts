import { UserError } from '../errors.js';
import type { PortAudioBackend } from './naudiodonBackend.js';
import { errorText, trackNativeStop } from './nativeStops.js';
import type { OutputDeviceInfo } from './outputDevices.js';

/** PortAudio's device list; a backend that cannot list them is one line. */
export function listDevices(backend: PortAudioBackend): OutputDeviceInfo[] {
  try {
    return backend.getDevices();
  } catch (e) {
    throw new UserError(`PortAudio cannot list audio devices: ${errorText(e)}`);
  }
}

/**
 * Opens a native stream and starts it, for the sink and the input alike: each failure is one line
 * naming the device and the format, and a stream that opened but would not start is stopped.
 */
export function openAndStart<S extends { start(): void; quit(mode: 'ABORT'): Promise<void> }>(
  direction: 'input' | 'output', name: string, format: { sampleRate: number; channels: number }, open: () => S,
): S {
  let stream: S;
  try {
    stream = open();
  } catch (e) {
    throw new UserError(`cannot open audio ${direction} "${name}" (${format.sampleRate} Hz, ${format.channels} ch, float32): ${errorText(e)}`);
  }
  try {
    stream.start();
  } catch (e) {
    void trackNativeStop(stream.quit('ABORT'));
    throw new UserError(`cannot start audio ${direction} "${name}": ${errorText(e)}`);
  }
  return stream;
}
