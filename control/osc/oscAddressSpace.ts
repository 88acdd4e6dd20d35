import { describeValue, parseCommand } from '../protocol/commands.js';
import { PARAMETERS, type Parameter, type ParameterName, commandFor } from '../protocol/parameters.js';
import { parameterValue } from '../protocol/parameterValue.js';
import type { EngineState } from '../protocol/state.js';

/**
 * Synesthete's OSC address space, derived from the parameter table: one address per parameter
 * (`/synesthete/` + its name with dots as slashes), plus subscribe/unsubscribe and the feedback
 * addresses. Pure: OSC arguments in, a command (or a one-line reason naming the address) out;
 * state in, feedback messages out. The UDP adapter is oscServer.ts. Documented in docs/control.md.
 */

export const OSC_ROOT = '/synesthete';
export const SUBSCRIBE_ADDRESS = `${OSC_ROOT}/subscribe`;
export const UNSUBSCRIBE_ADDRESS = `${OSC_ROOT}/unsubscribe`;
export const ERROR_ADDRESS = `${OSC_ROOT}/error`;
/** Feedback-only addresses: where the music is and how far ahead the show is rendered. */
export const STATE_ADDRESSES = {
  bar: `${OSC_ROOT}/state/bar`,
  beat: `${OSC_ROOT}/state/beat`,
  segment: `${OSC_ROOT}/state/segment`,
  ahead: `${OSC_ROOT}/state/ahead`,
} as const;

/** An OSC argument as decoded: its type tag (i f s d h T F N I b ...) and value. */
export interface OscArg {
  readonly type: string;
  readonly value: unknown;
}

/** An OSC message to send: int32, float32 or string arguments. */
export interface OscOut {
  readonly address: string;
  readonly args: readonly OscArg[];
}

/** What one received message asks for. */
export type OscRequest =
  | { readonly kind: 'command'; readonly command: Record<string, unknown>; readonly parameter: Parameter }
  /** `port`: where to send feedback on the sender's host (absent: the port it sent from) */
  | { readonly kind: 'subscribe' | 'unsubscribe'; readonly port?: number }
  /** nothing to do: a button's release (0) on a trigger address */
  | { readonly kind: 'ignore' }
  | { readonly kind: 'refused'; readonly reason: string };

/** The OSC address of a parameter. */
export function oscAddress(p: Parameter): string {
  return `${OSC_ROOT}/${p.name.replaceAll('.', '/')}`;
}

const byAddress = new Map<string, Parameter>(PARAMETERS.map((p) => [oscAddress(p), p]));

/** The OSC type tag a parameter is sent with (and documented with). */
export function oscTypeTag(p: Parameter): string {
  switch (p.type) {
    case 'number': return 'f';
    case 'integer': case 'boolean': return 'i';
    case 'string': case 'enum': return 's';
    case 'trigger': return '';
  }
}

/**
 * Reads one received message. Never throws. Coercion is what controllers send: floats (TouchOSC)
 * or ints (Max) for numbers; T/F, 0/1 or 0.0/1.0 (and "true"/"false", "on"/"off") for booleans;
 * enum values by name or 0-based index; a trigger with no argument or a non-zero one (a button's
 * press; its release, 0, is ignored). The command is validated here too, so a refusal names the
 * address: `/synesthete/gain: must be at most 1 (got 7)`.
 */
export function readOscMessage(address: string, args: readonly OscArg[]): OscRequest {
  if (address === SUBSCRIBE_ADDRESS || address === UNSUBSCRIBE_ADDRESS) return subscription(address, args);
  const p = byAddress.get(address);
  if (!p) return refused(address, `unknown address (valid: ${OSC_ROOT}/<parameter> for the parameters in docs/control.md, or ${SUBSCRIBE_ADDRESS})`);
  if (p.type === 'trigger') {
    if (args.length > 1) return refused(address, `takes no argument or one (got ${args.length})`);
    if (args.length === 1) {
      const on = truthy(args[0]!);
      if (on === undefined) return refused(address, `takes no argument, or 1 for a press (got ${describeArg(args[0]!)})`);
      if (!on) return { kind: 'ignore' };
    }
    return validated(address, p, undefined);
  }
  if (args.length !== 1) return refused(address, `takes one ${oscTypeTag(p)} argument (got ${args.length})`);
  const value = coerce(p, args[0]!);
  if (value instanceof Refusal) return refused(address, value.reason);
  return validated(address, p, value);
}

function subscription(address: string, args: readonly OscArg[]): OscRequest {
  const kind = address === SUBSCRIBE_ADDRESS ? 'subscribe' : 'unsubscribe';
  if (args.length === 0) return { kind };
  const port = args.length === 1 ? number(args[0]!) : undefined;
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    return refused(address, `takes no argument (feedback to the sending port) or a port from 1 to 65535 (got ${args.length === 1 ? describeArg(args[0]!) : `${args.length} arguments`})`);
  }
  return { kind, port };
}

function validated(address: string, p: Parameter, value: unknown): OscRequest {
  const command = commandFor(p, value);
  const parsed = parseCommand(command);
  if (parsed.ok) return { kind: 'command', command, parameter: p };
  // "gain.value: must be at most 1": the address already says which field
  const field = `${p.command.type}${p.command.field ? `.${p.command.field}` : ''}: `;
  return refused(address, parsed.reason.startsWith(field) ? parsed.reason.slice(field.length) : parsed.reason);
}

class Refusal {
  constructor(readonly reason: string) {}
}

function coerce(p: Parameter, arg: OscArg): unknown {
  switch (p.type) {
    case 'number': case 'integer': {
      const n = number(arg) ?? numericString(arg);
      if (n === undefined) return new Refusal(`expects a number (got ${describeArg(arg)})`);
      if (Number.isNaN(n)) return new Refusal('must be a finite number (got NaN)');
      return n;
    }
    case 'boolean': {
      const on = truthy(arg);
      if (on === undefined) return new Refusal(`expects T or F, 0 or 1 (got ${describeArg(arg)})`);
      return on;
    }
    case 'enum': {
      const values = p.values!;
      if (arg.type === 's' || arg.type === 'S') return arg.value;
      const n = number(arg);
      if (n !== undefined && Number.isInteger(n) && n >= 0 && n < values.length) return values[n];
      return new Refusal(`expects one of ${values.join(', ')} or its index 0–${values.length - 1} (got ${describeArg(arg)})`);
    }
    case 'string':
      if (arg.type === 's' || arg.type === 'S') return arg.value;
      return new Refusal(`expects a string (got ${describeArg(arg)})`);
    case 'trigger':
      return undefined;
  }
}

/** A numeric argument's value (int32, float32, double, int64); undefined for other types. */
function number(arg: OscArg): number | undefined {
  if (arg.type === 'f' && typeof arg.value === 'number') return shortestFloat32(arg.value);
  if ((arg.type === 'i' || arg.type === 'd') && typeof arg.value === 'number') return arg.value;
  if (arg.type === 'h' && typeof arg.value === 'bigint') return Number(arg.value);
  if (arg.type === 'I') return Number.POSITIVE_INFINITY;
  return undefined;
}

/**
 * The shortest decimal that is the same float32: a fader's 0.2 arrives as 0.20000000298023224,
 * and the state, the logs and the feedback should say 0.2.
 */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x)) return x;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

/** Max sends symbols: "0.5" is accepted for a number. */
function numericString(arg: OscArg): number | undefined {
  if (arg.type !== 's' || typeof arg.value !== 'string' || !/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(arg.value)) return undefined;
  return Number(arg.value);
}

const TRUE_WORDS = new Set(['true', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'off', '0']);

function truthy(arg: OscArg): boolean | undefined {
  if (arg.type === 'T') return true;
  if (arg.type === 'F') return false;
  if (arg.type === 's' && typeof arg.value === 'string') {
    const word = arg.value.trim().toLowerCase();
    return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
  }
  const n = number(arg);
  return n === 1 ? true : n === 0 ? false : undefined;
}

function describeArg(arg: OscArg): string {
  if (arg.type === 'T' || arg.type === 'F' || arg.type === 'N' || arg.type === 'I') return arg.type;
  if (arg.type === 'b') return 'a blob';
  const value = typeof arg.value === 'bigint' ? Number(arg.value) : arg.value;
  return `${arg.type} ${describeValue(value)}`;
}

function refused(address: string, reason: string): OscRequest {
  return { kind: 'refused', reason: `${describeAddress(address)}: ${reason}` };
}

/** The address as received, shortened and with control characters escaped (it goes into logs). */
export function describeAddress(address: string): string {
  return byAddress.has(address) || address === SUBSCRIBE_ADDRESS || address === UNSUBSCRIBE_ADDRESS ? address : describeValue(address);
}

/**
 * Every value a surface shows, from the state: one message per parameter that has a value (on
 * its own address, with its documented type), then bar, beat, segment and seconds ahead.
 */
export function feedbackMessages(state: EngineState): OscOut[] {
  const out: OscOut[] = [];
  for (const p of PARAMETERS) {
    const value = parameterValue(state, p.name as ParameterName);
    if (value === null) continue;
    const type = oscTypeTag(p);
    out.push({ address: oscAddress(p), args: [{ type, value: typeof value === 'boolean' ? (value ? 1 : 0) : value }] });
  }
  out.push(
    { address: STATE_ADDRESSES.bar, args: [{ type: 'i', value: state.transport.bar }] },
    { address: STATE_ADDRESSES.beat, args: [{ type: 'i', value: state.transport.beat }] },
    { address: STATE_ADDRESSES.segment, args: [{ type: 'i', value: state.nowPlaying?.segmentId ?? 0 }] },
    { address: STATE_ADDRESSES.ahead, args: [{ type: 'f', value: state.health.aheadSeconds }] },
  );
  return out;
}
