import type { ParameterName, VisualName } from './parameters.js';
import type { EngineState } from './state.js';

/** Parameters that are actions rather than settings: they have no value to show. */
export const ACTIONS: readonly ParameterName[] = ['tap', 'resync', 'nudge'];

/**
 * The current value of a parameter in a show's state: what a surface shows on its fader, LED or
 * field. `null` where there is none to show: no prompt yet, a model not in use, and the triggers
 * (tap, resync) and nudge, which are actions rather than settings.
 */
export function parameterValue(state: EngineState, name: ParameterName): number | boolean | string | null {
  if (isVisual(name)) return state.visuals.effects[name.slice('visual.'.length) as VisualName];
  switch (name) {
    case 'prompt.audio': return state.prompts.audio;
    case 'prompt.picture': return state.prompts.picture;
    case 'seed': return state.seed;
    case 'mix': return state.mix;
    case 'guidance.audio': return state.guidance.audio;
    case 'guidance.picture': return state.guidance.picture;
    case 'preset': return state.preset;
    case 'source': return state.source;
    case 'imprint.text': return state.imprint?.text ?? null;
    case 'imprint.image': return state.imprint?.image ?? null;
    case 'imprint.strength': return state.imprint?.strength ?? null;
    case 'tempo': return state.transport.bpm;
    case 'meter': return state.transport.beatsPerBar;
    case 'quantize': return state.transport.quantize;
    case 'gain': return state.instant.gain;
    case 'filter': return state.instant.filter;
    case 'freeze': return state.instant.freeze;
    case 'look': return state.visuals.look;
    case 'blackout': return state.visuals.blackout;
    case 'tap': case 'resync': case 'nudge': return null;
  }
}

function isVisual(name: ParameterName): name is `visual.${VisualName}` {
  return name.startsWith('visual.');
}
