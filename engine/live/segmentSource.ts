import type { Command } from '../../control/protocol/commands.js';
import type { ControlSettings } from './controlState.js';
import type { SegmentDraft } from './segment.js';

/**
 * Where segments come from (imprint, images, diffusion, a recorded session), behind one interface.
 * `render` may take seconds (it runs models or phase reconstruction in workers) and must not block
 * the event loop; it stops early when `signal` aborts (a newer command superseded it).
 */
export interface SegmentSource {
  readonly name: ControlSettings['source'];
  /** the next segment, or undefined when the source has ended (a recorded session played out) */
  render(settings: Readonly<ControlSettings>, signal: AbortSignal): Promise<SegmentDraft | undefined>;
  /**
   * Why `command` cannot change what this source plays (one line), or null when it can. Checked
   * before a command is accepted: a command that cannot take effect is refused, never reported
   * as heard.
   */
  refuse?(command: Command, settings: Readonly<ControlSettings>): string | null;
  /** playback operations to apply at given output frames (a recorded session's instant controls) */
  readonly ops?: ReadonlyArray<{ readonly frame: number; readonly op: import('./playback/playback.js').PlaybackOp }>;
  /** workers the source had to restart after a crash (sources without workers leave it out) */
  readonly restarts?: number;
  dispose(): Promise<void>;
}
