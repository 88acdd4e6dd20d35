import type { EngineState } from '../protocol/index.js';
import type { MappedValue } from './controlPosition.js';

/**
 * A mappable parameter's current value in the show's state; null where it has none (guidance
 * before any is set, triggers, nudge: each nudge moves from wherever the phase is).
 */
export function parameterValue(state: EngineState, name: string): MappedValue | null {
  switch (name) {
    case 'seed': return state.seed;
    case 'mix': return state.mix;
    case 'guidance.audio': return state.guidance.audio;
    case 'guidance.picture': return state.guidance.picture;
    case 'source': return state.source;
    case 'imprint.strength': return state.imprint?.strength ?? null;
    case 'tempo': return state.transport.bpm;
    case 'meter': return state.transport.beatsPerBar;
    case 'quantize': return state.transport.quantize;
    case 'gain': return state.instant.gain;
    case 'filter': return state.instant.filter;
    case 'freeze': return state.instant.freeze;
    default: return null;
  }
}
