import type { AudioSink } from '../audio/audioSink.js';
import { PortAudioSink } from '../audio/portAudioSink.js';
import { WavFileSink } from '../audio/wavFileSink.js';
import { UserError } from '../errors.js';

export interface OutputOptions {
  readonly wav?: string;
  readonly realtime?: boolean;
  readonly audioDevice?: string;
}

/**
 * The output of `perform` and `rehearse`: a WAV file (offline, or paced with --realtime) or a
 * PortAudio device. Both keep about 190 ms of audio queued: segment rendering does some work on
 * the main thread between chunks, and steering latency is set by segment boundaries anyway.
 */
export function outputSink(opts: OutputOptions, onWarning: (message: string) => void): AudioSink {
  if (opts.wav && opts.audioDevice) throw new UserError('--wav and --audio-device cannot be combined: choose one output');
  return opts.wav
    ? new WavFileSink({ path: opts.wav, paced: opts.realtime === true, bufferChunks: 16, onWarning })
    : new PortAudioSink({ ...(opts.audioDevice !== undefined ? { device: opts.audioDevice } : {}), framesPerChunk: 1024, maxQueue: 8, onWarning });
}

/** Offline = a WAV file rendered as fast as possible: the engine waits for segments instead of repeating. */
export function isOffline(opts: OutputOptions): boolean {
  return opts.wav !== undefined && opts.realtime !== true;
}
