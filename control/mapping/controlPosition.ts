import type { Parameter } from '../protocol/index.js';
import { applyCurve, clamp01, invertCurve } from './curve.js';
import type { MidiMapping } from './midiMapping.js';

/** A parameter value a MIDI control can produce (triggers produce none). */
export type MappedValue = number | boolean | string;

/**
 * Where a value sits on the knob's travel (0–1), through the mapping's range and curve: the
 * inverse of `valueAt`. Enum values sit in the middle of their band, booleans at the ends.
 */
export function positionOf(mapping: MidiMapping, p: Parameter, value: MappedValue): number {
  switch (p.type) {
    case 'boolean': return value === true ? 1 : 0;
    case 'enum': {
      const n = p.values!.length;
      const i = Math.max(0, p.values!.indexOf(String(value)));
      return (i + 0.5) / n;
    }
    default: {
      const span = mapping.max - mapping.min;
      if (span === 0) return 0;
      return invertCurve(mapping.curve, clamp01((Number(value) - mapping.min) / span));
    }
  }
}

/**
 * The value at a knob position (0–1): the mapping's range through its curve, whole numbers for
 * integer parameters, the parameter's own range never left; enums in equal bands.
 */
export function valueAt(mapping: MidiMapping, p: Parameter, position: number): MappedValue {
  const x = clamp01(position);
  switch (p.type) {
    case 'boolean': return x >= 0.5;
    case 'enum': {
      const n = p.values!.length;
      return p.values![Math.min(n - 1, Math.floor(x * n))]!;
    }
    default: {
      let v = mapping.min + applyCurve(mapping.curve, x) * (mapping.max - mapping.min);
      if (p.type === 'integer') v = Math.round(v);
      return Math.min(p.max!, Math.max(p.min!, v));
    }
  }
}
