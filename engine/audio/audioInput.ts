/** Running totals of an audio input; they only grow. */
export interface AudioInputStats {
  /** frames delivered to the listener */
  framesRead: number;
  /** audio lost because the reader fell behind the device (PortAudio's input overflow) */
  overflows: number;
  /** times the device failed or stalled (then the input tries to reopen it) */
  errors: number;
}

/**
 * Where listened audio comes from (`perform --listen`): a sound-card input, or a fake in tests.
 * Chunks are interleaved Float32 frames, handed to the listener in order and valid only during
 * the call (the buffer may be reused). Show time never throws: device trouble is reported through
 * the input's warning callback and counted in `stats`.
 */
export interface AudioInput {
  /** Hz */
  readonly sampleRate: number;
  readonly channels: number;
  /** the device's name, for the start-up line */
  readonly deviceName: string;
  /** seconds from sound at the input to its chunk reaching the listener (device + queue), an estimate */
  readonly latency: number;
  readonly stats: AudioInputStats;
  /**
   * Opens the device and calls `onAudio` with every chunk from now on.
   * @throws UserError when no device matches or it cannot be opened (setup time)
   */
  start(onAudio: (interleaved: Float32Array, frames: number) => void): Promise<void>;
  /** Stops and releases the device. Idempotent. */
  close(): Promise<void>;
}
