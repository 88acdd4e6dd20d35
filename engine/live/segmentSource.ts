import type { ControlSettings } from './controlState.js';
import type { SegmentDraft } from './segment.js';

/**
 * Where segments come from (imprint, images, diffusion, a recorded session), behind one interface.
 * `render` may take seconds (it runs models or phase reconstruction in workers) and must not block
 * the event loop.
 */
export interface SegmentSource {
  readonly name: ControlSettings['source'];
  render(settings: Readonly<ControlSettings>): Promise<SegmentDraft>;
  dispose(): Promise<void>;
}
