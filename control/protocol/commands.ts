import { z } from 'zod';
import { describeInput, hasVisibleCharacter, safeText } from './describeInput.js';
import { LOOKS, MODEL_ROLES, type Parameter, QUANTA, SOURCES, VISUAL_NAMES, type VisualName, findParameter, parameter } from './parameters.js';

/**
 * The show's control vocabulary: small JSON commands, validated with zod. MIDI, OSC, the web page
 * and `--events` scripts all map onto these, so this file is the one place that decides what a
 * valid command is. Ranges come from the parameter table (parameters.ts); docs/commands.md is
 * generated from both.
 */

/** Every command `type`, in the order the docs and error messages list them. */
export const COMMAND_TYPES = [
  'prompt', 'seed', 'mix', 'guidance', 'preset', 'source', 'imprint',
  'tempo', 'meter', 'tap', 'resync', 'nudge', 'quantize',
  'gain', 'filter', 'freeze',
  'look', 'blackout', 'visual',
] as const;

export { MODEL_ROLES, QUANTA, SOURCES };

/** Field ranges, exported so tests and control surfaces (fader ranges) use the same numbers. */
export const LIMITS = {
  seedMax: parameter('seed').max!,
  guidanceMax: parameter('guidance.audio').max!,
  bpmMin: parameter('tempo').min!,
  bpmMax: parameter('tempo').max!,
  textMaxChars: parameter('prompt.audio').maxLength!,
  nameMaxChars: parameter('preset').maxLength!,
  pathMaxChars: parameter('imprint.image').maxLength!,
} as const;

const modelRole = z.enum(MODEL_ROLES);

/**
 * Free text (prompts, names, paths). Text with nothing visible (spaces, zero-width characters) is
 * refused: a fader bank or a web form that sends "   " almost certainly lost its value, and
 * silently prompting with nothing would change the music for no visible reason.
 */
const textOf = (p: Parameter) =>
  z
    .string()
    .min(1)
    .max(p.maxLength!)
    .refine(hasVisibleCharacter, { error: 'must not be blank' });

/** A number in the parameter's range (integers for integer parameters). */
function numberOf(p: Parameter) {
  const n = p.type === 'integer' ? z.number().int() : z.number();
  return n.min(p.min!).max(p.max!);
}

const promptCommand = z.strictObject({
  type: z.literal('prompt'),
  model: modelRole,
  text: textOf(parameter('prompt.audio')),
});

const seedCommand = z.strictObject({ type: z.literal('seed'), value: numberOf(parameter('seed')) });
const mixCommand = z.strictObject({ type: z.literal('mix'), value: numberOf(parameter('mix')) });
const guidanceCommand = z.strictObject({ type: z.literal('guidance'), model: modelRole, value: numberOf(parameter('guidance.audio')) });
const presetCommand = z.strictObject({ type: z.literal('preset'), name: textOf(parameter('preset')) });
const sourceCommand = z.strictObject({ type: z.literal('source'), name: z.enum(SOURCES) });

const imprintCommand = z
  .strictObject({
    type: z.literal('imprint'),
    text: textOf(parameter('imprint.text')).optional(),
    image: textOf(parameter('imprint.image')).optional(),
    strength: numberOf(parameter('imprint.strength')).optional(),
  })
  .superRefine((c, ctx) => {
    // An imprint is either words or a picture; guessing which of two wins would surprise whoever
    // sent both. Strength alone changes the strength of the imprint in place.
    if (c.text !== undefined && c.image !== undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'needs at most one of "text" or "image", not both' });
    } else if (c.text === undefined && c.image === undefined && c.strength === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'needs "text", "image" or "strength"' });
    }
  });

const tempoCommand = z.strictObject({ type: z.literal('tempo'), bpm: numberOf(parameter('tempo')) });
const meterCommand = z.strictObject({ type: z.literal('meter'), beats: numberOf(parameter('meter')) });
const tapCommand = z.strictObject({ type: z.literal('tap') });
const resyncCommand = z.strictObject({ type: z.literal('resync') });
const nudgeCommand = z.strictObject({ type: z.literal('nudge'), beats: numberOf(parameter('nudge')) });
const quantizeCommand = z.strictObject({ type: z.literal('quantize'), value: z.enum(QUANTA) });
const gainCommand = z.strictObject({ type: z.literal('gain'), value: numberOf(parameter('gain')) });
const filterCommand = z.strictObject({ type: z.literal('filter'), value: numberOf(parameter('filter')) });
const freezeCommand = z.strictObject({ type: z.literal('freeze'), on: z.boolean() });
const lookCommand = z.strictObject({ type: z.literal('look'), name: z.enum(LOOKS) });
const blackoutCommand = z.strictObject({ type: z.literal('blackout'), on: z.boolean() });

/** The schema of one parameter's value (the `visual` command checks its value against its input). */
function valueOf(p: Parameter): z.ZodType {
  switch (p.type) {
    case 'number': case 'integer': return numberOf(p);
    case 'enum': return z.enum(p.values as [string, ...string[]]);
    case 'boolean': return z.boolean();
    default: return textOf(p);
  }
}

const visualValues = new Map(VISUAL_NAMES.map((n) => [n, valueOf(findParameter(`visual.${n}`)!)]));

/** `{"type":"visual","name":"saturation","value":1.5}`: one effect input (the `visual.*` parameters). */
const visualCommand = z
  .strictObject({
    type: z.literal('visual'),
    name: z.enum(VISUAL_NAMES as [VisualName, ...VisualName[]]),
    // checked against the named input below, so the message names that input's range
    value: z.custom<number | string>(() => true),
  })
  .superRefine((c, ctx) => {
    const result = visualValues.get(c.name)!.safeParse(c.value, { error: issueMessage });
    if (!result.success) ctx.addIssue({ code: 'custom', path: ['value'], message: result.error.issues[0]!.message });
  });

/** Each command's schema by `type`; parseCommand dispatches on this so it can name unknown types. */
const schemas = {
  prompt: promptCommand,
  seed: seedCommand,
  mix: mixCommand,
  guidance: guidanceCommand,
  preset: presetCommand,
  source: sourceCommand,
  imprint: imprintCommand,
  tempo: tempoCommand,
  meter: meterCommand,
  tap: tapCommand,
  resync: resyncCommand,
  nudge: nudgeCommand,
  quantize: quantizeCommand,
  gain: gainCommand,
  filter: filterCommand,
  freeze: freezeCommand,
  look: lookCommand,
  blackout: blackoutCommand,
  visual: visualCommand,
} as const satisfies Record<(typeof COMMAND_TYPES)[number], z.ZodType>;

/** All commands as one zod schema (for callers that compose it into larger schemas). */
export const commandSchema = z.discriminatedUnion('type', Object.values(schemas) as unknown as [typeof promptCommand, ...(typeof seedCommand)[]]);

export type ModelRole = (typeof MODEL_ROLES)[number];
export type SourceName = (typeof SOURCES)[number];
export type Quantum = (typeof QUANTA)[number];
export type CommandType = (typeof COMMAND_TYPES)[number];

type Inferred = { [K in CommandType]: z.infer<(typeof schemas)[K]> };
export type PromptCommand = Inferred['prompt'];
export type SeedCommand = Inferred['seed'];
export type MixCommand = Inferred['mix'];
export type GuidanceCommand = Inferred['guidance'];
export type TempoCommand = Inferred['tempo'];
export type PresetCommand = Inferred['preset'];
export type SourceCommand = Inferred['source'];
export type ImprintCommand = Inferred['imprint'];
export type VisualCommand = Inferred['visual' | 'look' | 'blackout'];

/** One valid command. */
export type Command = Inferred[CommandType];

/** Commands by the way they take effect (the parameter table's kinds). */
export const INSTANT_COMMANDS = ['gain', 'filter', 'freeze'] as const satisfies readonly CommandType[];
export const TRANSPORT_COMMANDS = ['tempo', 'meter', 'tap', 'resync', 'nudge', 'quantize'] as const satisfies readonly CommandType[];
/** The projector's commands: they change no sound. */
export const VISUAL_COMMANDS = ['look', 'blackout', 'visual'] as const satisfies readonly CommandType[];

export type ParseCommandResult = { ok: true; command: Command } | { ok: false; reason: string };

const VALID_TYPES = COMMAND_TYPES.join(', ');

/**
 * Validates one command: an object, or a JSON string holding one (what a socket or web page
 * sends). Never throws. A rejection's `reason` is one line naming the field, e.g.
 * `mix.value: must be at most 1` or
 * `unknown command type "volume" (valid: prompt, seed, mix, guidance, tempo, preset, source, imprint)`.
 */
export function parseCommand(input: unknown): ParseCommandResult {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      return reject(`not valid JSON (${firstLine((e as Error).message)})`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject(`a command must be a JSON object with a "type" field (got ${describeValue(raw)})`);
  }
  const type = (raw as Record<string, unknown>).type;
  if (type === undefined) return reject(`type: is required (valid: ${VALID_TYPES})`);
  if (typeof type !== 'string') return reject(`type: must be a string (got ${describeValue(type)}; valid: ${VALID_TYPES})`);
  // hasOwn, not `in`: "constructor" or "__proto__" must be unknown types, not inherited members.
  if (!Object.hasOwn(schemas, type)) return reject(`unknown command type ${describeValue(type)} (valid: ${VALID_TYPES})`);

  const schema = schemas[type as CommandType];
  const result = schema.safeParse(raw, { error: issueMessage });
  if (result.success) return { ok: true, command: result.data as Command };

  // An unknown field is usually a misspelt one, which also shows up as "is required"; naming the
  // unknown field points at the actual typo, so it wins over the first issue.
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  const where = [type, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.slice(0, 5).map((k) => describeInput(k)).join(', ') + (issue.keys.length > 5 ? `, and ${issue.keys.length - 5} more` : '');
    const valid = Object.keys(schemaShape(schema)).join(', ');
    return reject(`${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${keys} (valid: ${valid})`);
  }
  return reject(`${where}: ${issue.message}`);
}

/** Every reason leaves through here: whatever part of it echoes the input, it stays one safe line. */
function reject(reason: string): { ok: false; reason: string } {
  return { ok: false, reason: safeText(reason, 400) };
}

/** The object shape behind a command schema (the imprint schema's refinement keeps its shape). */
function schemaShape(schema: (typeof schemas)[CommandType]): Record<string, unknown> {
  return schema.shape;
}

/**
 * Zod's default messages ("Too big: expected number to be <=1") are written for developers; these
 * read as instructions to whoever is at the controls, and say what was received.
 */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const got = describeValue(issue.input);
      if (issue.expected === 'int') return `must be a whole number (got ${got})`;
      // zod reports Infinity (JSON's 1e999) with input null and the value in `received`.
      const received = (issue as { received?: unknown }).received;
      if (typeof received === 'string' && issue.expected === 'number') return `must be a finite number (got ${received})`;
      return `must be a ${issue.expected} (got ${got})`;
    }
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${limit} characters long (got ${String(issue.input).length})`;
      return issue.inclusive === false ? `must be less than ${limit} (got ${describeValue(issue.input)})` : `must be at most ${limit} (got ${describeValue(issue.input)})`;
    }
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'string') return limit <= 1 ? 'must not be empty' : `must be at least ${limit} characters long`;
      return issue.inclusive === false ? `must be more than ${limit} (got ${describeValue(issue.input)})` : `must be at least ${limit} (got ${describeValue(issue.input)})`;
    }
    case 'invalid_value': {
      const options = issue.values.map(String).join(', ');
      // a missing enum field arrives here rather than as invalid_type
      if (issue.input === undefined) return `is required (one of ${options})`;
      return `must be one of ${options} (got ${describeValue(issue.input)})`;
    }
    default:
      return undefined; // zod's own message (custom refinements already carry ours)
  }
}

/** A short, one-line rendering of a received value for error messages (never echoes much input). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return describeInput(value);
  return String(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/:\s*$/, '');
}
