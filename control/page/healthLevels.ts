import type { HealthState, ListenHealth, ProjectorHealth } from '../protocol/state.js';
import type { HealthCounter } from './pageModel.js';

/** How a health figure looks: fine, worth a glance, or trouble now. */
export type Level = 'ok' | 'warn' | 'bad';

export interface HealthItem {
  readonly key: 'ahead' | 'render' | 'projector' | 'listen' | HealthCounter;
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
    ...(health.listen ? [listenItem(health.listen)] : []),
  ];
}

/** Projector frames skipped: a few are normal (a busy moment); more than 1 in 20 is a stutter the audience sees. */
function projectorItem(p: ProjectorHealth): HealthItem {
  const share = p.frames + p.skippedFrames === 0 ? 0 : p.skippedFrames / (p.frames + p.skippedFrames);
  return { key: 'projector', label: 'projector skipped', text: `${p.skippedFrames}${p.outputs > 1 ? ` (${p.outputs} screens)` : ''}`, level: share > 0.05 ? 'bad' : share > 0.01 ? 'warn' : 'ok' };
}

/** Listen mode's input is trouble when silent this long (a wrong input, a muted record out). */
export const LISTEN_SILENT_BAD_S = 10;
/** Quieter than this the spectrogram is faint: raise the record out's level. */
export const LISTEN_FAINT_DB = -40;

/**
 * Listen mode's input: its level, or how long it has been silent, and any audio lost. A clipping
 * input (0 dBFS) or a faint one is worth a glance; silence is trouble.
 */
function listenItem(l: ListenHealth): HealthItem {
  const silent = l.quietSeconds >= 3;
  const level = silent ? `silent ${l.quietSeconds} s` : l.peakDb === null ? 'silent' : `${l.peakDb} dB${l.clipping ? ' clipping' : ''}`;
  const lost = [l.overflows > 0 ? `${l.overflows} lost` : '', l.errors > 0 ? `${l.errors} failed` : ''].filter(Boolean);
  const name = l.device.length > 24 ? `${l.device.slice(0, 23)}…` : l.device;
  const bad = l.quietSeconds >= LISTEN_SILENT_BAD_S || l.errors > 0;
  const warn = silent || l.overflows > 0 || l.peakDb === null || l.clipping || l.peakDb < LISTEN_FAINT_DB;
  return { key: 'listen', label: `input ${name}`, text: [level, ...lost].join(' · '), level: bad ? 'bad' : warn ? 'warn' : 'ok' };
}
