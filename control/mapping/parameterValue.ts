import { type EngineState, type ParameterName, findParameter } from '../protocol/index.js';
import { parameterValue as stateValue } from '../protocol/parameterValue.js';
import type { MappedValue } from './controlPosition.js';

/**
 * A mappable parameter's current value in the show's state (the protocol's `parameterValue`);
 * null where a control has nothing to show: free text (prompts, paths, presets), guidance before
 * any is set, triggers and nudge (each nudge moves from wherever the phase is).
 */
export function parameterValue(state: EngineState, name: string): MappedValue | null {
  const p = findParameter(name);
  if (!p || p.type === 'string') return null;
  return stateValue(state, name as ParameterName);
}
