import type { VisualCommand } from './commands.js';
import { LOOKS, VISUAL_NAMES, type VisualName, findParameter } from './parameters.js';

/**
 * The projector's settings as a show publishes them (`EngineState.visuals`): the look, blackout
 * and every effect input by its short name. The engine keeps them (they are recorded with the
 * session like every command), the output page applies them; neither needs the other's code.
 */
export interface VisualState {
  readonly look: (typeof LOOKS)[number];
  readonly blackout: boolean;
  /** `visual.<name>` parameters by short name: numbers, or enum values */
  readonly effects: Readonly<Record<VisualName, number | string>>;
}

/** The timeline looks put the playhead here (0..1 of the width): most of the screen shows what comes next. */
export const TIMELINE_PLAYHEAD_X = 0.3;
/** seconds of sound across the screen at `visual.speed` 1 */
export const TIMELINE_SPAN_SECONDS = 8;

/** Every setting at its parameter-table default. */
export function defaultVisuals(): VisualState {
  const effects = Object.fromEntries(VISUAL_NAMES.map((n) => [n, findParameter(`visual.${n}`)!.default as number | string]));
  return { look: 'timeline', blackout: false, effects: effects as Record<VisualName, number | string> };
}

/** Applies a (validated) visual command. Pure: returns a new state. */
export function applyVisual(state: VisualState, command: VisualCommand): VisualState {
  switch (command.type) {
    case 'look': return { ...state, look: command.name };
    case 'blackout': return { ...state, blackout: command.on };
    case 'visual': return { ...state, effects: { ...state.effects, [command.name]: command.value } };
  }
}
