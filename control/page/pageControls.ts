import { type Parameter, type ParameterName, PARAMETERS } from '../protocol/parameters.js';
import { parameterValue } from '../protocol/parameterValue.js';
import type { EngineState } from '../protocol/state.js';

/**
 * Which of the show's parameters have a control made by hand on the page; every other one gets a
 * control generated from the parameter table, so a parameter added to the table (the visuals'
 * blackout and effect inputs, say) appears on the page without touching it.
 */
export const HAND_MADE: ReadonlySet<string> = new Set([
  'prompt.audio', 'prompt.picture', 'imprint.text', 'imprint.image',
  'seed', 'mix', 'guidance.audio', 'guidance.picture',
  'preset', 'source',
  'tempo', 'tap', 'resync', 'nudge', 'quantize',
  'gain', 'filter', 'freeze',
]);

/** The parameters the page generates controls for, grouped by kind, in table order. */
export function generatedParameters(parameters: readonly Parameter[] = PARAMETERS): Map<string, Parameter[]> {
  const groups = new Map<string, Parameter[]>();
  for (const p of parameters) {
    if (HAND_MADE.has(p.name)) continue;
    const list = groups.get(p.kind) ?? [];
    list.push(p);
    groups.set(p.kind, list);
  }
  return groups;
}

/**
 * Whether a control needs a double tap: the source switch (every segment changes) and anything
 * that stops the show (a `stop` parameter, or one ending in `.stop`, when the table gains one).
 */
export function dangerous(p: Parameter): boolean {
  return p.name === 'source' || /(^|\.)stop$/.test(p.name);
}

/** Whether a MIDI control can drive the parameter (text needs a keyboard, not a knob). */
export function learnable(p: Parameter): boolean {
  return p.type !== 'string';
}

/**
 * The parameter's value in the show's state, or null where there is none to show (no prompt yet,
 * a trigger, a parameter this build of the protocol does not know).
 */
export function currentValue(state: EngineState | null, name: string): number | boolean | string | null {
  if (state === null) return null;
  return parameterValue(state, name as ParameterName) ?? null;
}

/** A fader's step: whole numbers for integers, a thousandth of the range otherwise. */
export function faderStep(p: Parameter): number {
  if (p.type === 'integer') return 1;
  const span = (p.max ?? 1) - (p.min ?? 0);
  return span > 0 ? span / 1000 : 0.001;
}

/** A value for display: up to three decimals, no trailing zeros, the unit if any. */
export function formatValue(p: Parameter, value: number | boolean | string | null): string {
  if (value === null) return '–';
  if (typeof value === 'number') {
    const text = p.type === 'integer' ? String(Math.round(value)) : String(Number(value.toFixed(3)));
    return p.unit === undefined ? text : `${text} ${p.unit}`;
  }
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return value;
}

/** The tempo after x2 or /2, or null when it would leave the tempo's range. */
export function scaledTempo(bpm: number, factor: number, p: Parameter): number | null {
  const next = Math.round(bpm * factor * 1000) / 1000;
  if (p.min !== undefined && next < p.min) return null;
  if (p.max !== undefined && next > p.max) return null;
  return next;
}

/** How far one press of nudge - or + moves the phase, in beats. */
export const NUDGE_STEP_BEATS = 0.05;

/** A random seed in the seed parameter's range. */
export function randomSeed(p: Parameter, random: () => number = Math.random): number {
  const min = p.min ?? 0;
  const max = p.max ?? 2 ** 32 - 1;
  return min + Math.floor(random() * (max - min + 1));
}

/** The walk: the next seed, wrapping at the top of the range. */
export function walkSeed(seed: number, p: Parameter): number {
  const max = p.max ?? 2 ** 32 - 1;
  return seed >= max ? (p.min ?? 0) : seed + 1;
}
