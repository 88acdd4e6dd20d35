import { PARAMETERS, type ParameterName } from '../protocol/parameters.js';
import { ACTIONS, parameterValue } from '../protocol/parameterValue.js';
import type { EngineState } from '../protocol/state.js';
import { ERROR_ADDRESS, OSC_ROOT, STATE_ADDRESSES, SUBSCRIBE_ADDRESS, UNSUBSCRIBE_ADDRESS, oscAddress, oscTypeTag } from './oscAddressSpace.js';

/** One address as `GET /osc` describes it. */
export interface OscTreeNode {
  readonly type: string;
  readonly kind: string;
  /** `w`: a control; `rw`: its value is also sent as feedback; `r`: feedback only */
  readonly access: 'w' | 'rw' | 'r';
  readonly range?: { readonly min?: number; readonly max?: number; readonly values?: readonly string[]; readonly maxLength?: number };
  readonly default: number | boolean | string | null;
  readonly value: number | boolean | string | null;
  readonly unit?: string;
  readonly help: string;
}

/**
 * The OSC address space as JSON, with each control's current value: what `GET /osc` returns so
 * a client can build its own interface (the way VDMX and Scope publish theirs, OSCQuery-like,
 * flattened: one entry per full address). Derived from the parameter table.
 */
export function oscTree(state: EngineState): { root: string; addresses: Record<string, OscTreeNode> } {
  const addresses: Record<string, OscTreeNode> = {};
  for (const p of PARAMETERS) {
    const action = p.type === 'trigger' || ACTIONS.includes(p.name as ParameterName);
    addresses[oscAddress(p)] = {
      type: oscTypeTag(p),
      kind: p.kind,
      access: action ? 'w' : 'rw',
      ...(p.min !== undefined || p.values !== undefined || p.maxLength !== undefined
        ? { range: { ...(p.min !== undefined ? { min: p.min, max: p.max } : {}), ...(p.values ? { values: p.values } : {}), ...(p.maxLength ? { maxLength: p.maxLength } : {}) } }
        : {}),
      default: p.default,
      value: action ? null : parameterValue(state, p.name as ParameterName),
      ...(p.unit ? { unit: p.unit } : {}),
      help: p.help,
    };
  }
  const feedback = (type: string, help: string, value: number | null): OscTreeNode => ({ type, kind: 'state', access: 'r', default: null, value, help });
  addresses[STATE_ADDRESSES.bar] = feedback('i', 'the bar being heard (1-based)', state.transport.bar);
  addresses[STATE_ADDRESSES.beat] = feedback('i', 'the beat being heard within the bar (1-based)', state.transport.beat);
  addresses[STATE_ADDRESSES.segment] = feedback('i', 'the id of the segment being heard', state.nowPlaying?.segmentId ?? null);
  addresses[STATE_ADDRESSES.ahead] = feedback('f', 'seconds of audio rendered ahead', state.health.aheadSeconds);
  addresses[ERROR_ADDRESS] = feedback('s', 'a refused message, with the reason', null);
  addresses[SUBSCRIBE_ADDRESS] = { type: 'i', kind: 'feedback', access: 'w', default: null, value: null, help: 'send feedback to the sender (optional argument: the port to send to)' };
  addresses[UNSUBSCRIBE_ADDRESS] = { type: '', kind: 'feedback', access: 'w', default: null, value: null, help: 'stop sending feedback to the sender' };
  return { root: OSC_ROOT, addresses };
}
