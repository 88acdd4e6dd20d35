import type { ControlSettings } from './controlState.js';
import type { SegmentDraft } from './segment.js';

/**
 * Where segments come from (imprint, images, diffusion, a recorded session), behind one interface.
 * `render` may take seconds (it runs models or phase reconstruction in workers) and must not block
 * the event loop.
 */
export interface SegmentSource {
  readonly name: ControlSettings['source'];
  /** the next segment, or undefined when the source has ended (a recorded session played out) */
  render(settings: Readonly<ControlSettings>): Promise<SegmentDraft | undefined>;
  /** workers the source had to restart after a crash (sources without workers leave it out) */
  readonly restarts?: number;
  dispose(): Promise<void>;
}
