import { findPort } from './midiBackend.js';

/** What a watched port is doing: open on `port`, or waiting (`lost`: it was open and went away). */
export interface PortWatch {
  readonly wanted: string;
  readonly port: string | null;
  readonly lost: boolean;
}

export type PortAction = { readonly kind: 'open'; readonly port: string } | { readonly kind: 'close'; readonly port: string };

export interface PortWatchStep {
  readonly watch: PortWatch;
  readonly actions: readonly PortAction[];
  /** at most one per disappearance and one per return */
  readonly warning?: string;
}

/** A port to watch for; not open yet. */
export function watchFor(wanted: string): PortWatch {
  return { wanted, port: null, lost: false };
}

/**
 * One poll of the port list (RtMidi tells nothing when a device is unplugged or plugged back, so
 * the list is polled). Pure: the caller lists the ports, applies the actions and prints the
 * warning. A port that came back under new ALSA numbers is the same device.
 */
export function pollPorts(watch: PortWatch, available: readonly string[]): PortWatchStep {
  if (watch.port !== null && available.includes(watch.port)) return { watch, actions: [] };
  const found = findPort(available, watch.wanted);
  const close: PortAction[] = watch.port === null ? [] : [{ kind: 'close', port: watch.port }];
  if (found !== null) {
    const step = { watch: { wanted: watch.wanted, port: found, lost: false }, actions: [...close, { kind: 'open' as const, port: found }] };
    return watch.lost ? { ...step, warning: `MIDI "${found}" is back` } : step;
  }
  if (watch.port === null) return { watch, actions: [] };
  return {
    watch: { wanted: watch.wanted, port: null, lost: true },
    actions: close,
    warning: `MIDI "${watch.port}" disappeared; it will be reopened when it comes back`,
  };
}

/** The port was listed but would not open (another program holds it, or it vanished meanwhile): try again next poll. */
export function openFailed(watch: PortWatch): PortWatch {
  return { wanted: watch.wanted, port: null, lost: true };
}
