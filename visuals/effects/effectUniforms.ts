import { findParameter } from '../../control/protocol/parameters.js';
import type { VisualState } from '../../control/protocol/visualState.js';
import { uniformName } from './registry.js';

/**
 * The effects' uniform values for a show's visual settings: numbers as they are, enum values as
 * their index in the parameter's list, booleans as 0 or 1. Computed when the settings change, not
 * every frame.
 */
export function effectUniforms(visuals: VisualState, out: Record<string, number> = {}): Record<string, number> {
  for (const [name, value] of Object.entries(visuals.effects)) {
    out[uniformName(name)] = typeof value === 'number' ? value : Math.max(0, findParameter(`visual.${name}`)?.values?.indexOf(value) ?? 0);
  }
  out[uniformName('blackout')] = visuals.blackout ? 1 : 0;
  return out;
}
