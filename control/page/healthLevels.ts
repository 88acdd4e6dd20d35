import type { HealthState, ProjectorHealth } from '../protocol/state.js';
import type { HealthCounter } from './pageModel.js';

/** How a health figure looks: fine, worth a glance, or trouble now. */
export type Level = 'ok' | 'warn' | 'bad';

export interface HealthItem {
  readonly key: 'ahead' | 'render' | 'projector' | HealthCounter;
  readonly label: string;
  readonly text: string;
  readonly level: Level;
}

/** Below this much audio waiting, a slow render will be heard as a repeat. */
export const AHEAD_BAD_S = 0.5;
export const AHEAD_WARN_S = 2;
/** A counter that went up this recently is shown as trouble; after that as a warning. */
export const FRESH_TROUBLE_MS = 30_000;

/**
 * The health panel's figures and their colours. `segmentSeconds` (how long a segment plays) says
 * whether renders keep up: a render slower than the segment it makes cannot keep the queue full.
 */
export function healthLevels(
  health: HealthState,
  troubleMs: Readonly<Record<HealthCounter, number | null>>,
  segmentSeconds: number | null,
  nowMs: number,
): HealthItem[] {
  const render = health.lastRenderSeconds;
  const renderRatio = render === null || segmentSeconds === null || segmentSeconds <= 0 ? null : render / segmentSeconds;
  const counter = (key: HealthCounter, label: string): HealthItem => {
    const since = troubleMs[key];
    const fresh = since !== null && nowMs - since < FRESH_TROUBLE_MS;
    return { key, label, text: String(health[key]), level: fresh ? 'bad' : health[key] > 0 ? 'warn' : 'ok' };
  };
  return [
    {
      key: 'ahead',
      label: 'ahead',
      text: `${health.aheadSeconds.toFixed(1)} s`,
      level: health.aheadSeconds < AHEAD_BAD_S ? 'bad' : health.aheadSeconds < AHEAD_WARN_S ? 'warn' : 'ok',
    },
    {
      key: 'render',
      label: 'render',
      text: render === null ? '–' : `${render.toFixed(2)} s`,
      level: renderRatio === null ? 'ok' : renderRatio > 1 ? 'bad' : renderRatio > 0.7 ? 'warn' : 'ok',
    },
    counter('lateRepeats', 'late'),
    counter('failedRenders', 'failed'),
    counter('underruns', 'underruns'),
    ...(health.projector ? [projectorItem(health.projector)] : []),
  ];
}

/** Projector frames skipped: a few are normal (a busy moment); more than 1 in 20 is a stutter the audience sees. */
function projectorItem(p: ProjectorHealth): HealthItem {
  const share = p.frames + p.skippedFrames === 0 ? 0 : p.skippedFrames / (p.frames + p.skippedFrames);
  return { key: 'projector', label: 'projector skipped', text: `${p.skippedFrames}${p.outputs > 1 ? ` (${p.outputs} screens)` : ''}`, level: share > 0.05 ? 'bad' : share > 0.01 ? 'warn' : 'ok' };
}
