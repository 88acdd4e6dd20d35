import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { describeRange, findParameter } from '../protocol/index.js';
import { CURVES } from './curve.js';
import { type MidiMapping, NOTE_MODES, TAKEOVER_MODES, defaultMapping, mappableParameter, sameControl } from './midiMapping.js';
import { RELATIVE_MODES } from './relativeEncoder.js';

/**
 * One controller's mapping file (YAML; format in docs/midi.md). Pure: text in, text out; reading
 * and writing files is mappingStore.ts's job.
 */
export interface MappingFile {
  /** the port name prefix the file is for */
  readonly device: string;
  /** send LED feedback to the output port of the same name */
  readonly feedback: boolean;
  /** presets selected by program change 0, 1, 2, … */
  readonly programChange: readonly string[];
  readonly mappings: readonly MidiMapping[];
}

/** Bounds whatever a file claims: a controller has at most 16 × 2 × 128 controls. */
const MAX_MAPPINGS = 4096;
const MAX_NAME = 200;

const midiByte = z.number().int().min(0).max(127);

const entrySchema = z.strictObject({
  parameter: z.string().max(MAX_NAME),
  cc: midiByte.optional(),
  note: midiByte.optional(),
  channel: z.number().int().min(0).max(15).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  curve: z.enum(CURVES).optional(),
  takeover: z.enum(TAKEOVER_MODES).optional(),
  relative: z.enum(RELATIVE_MODES).optional(),
  noteMode: z.enum(NOTE_MODES).optional(),
});

const fileSchema = z.strictObject({
  device: z.string().min(1).max(MAX_NAME),
  feedback: z.boolean().optional(),
  programChange: z.array(z.string().min(1).max(MAX_NAME)).max(128).optional(),
  mappings: z.array(entrySchema).max(MAX_MAPPINGS).optional(),
});

export type ParseMappingResult = { ok: true; file: MappingFile } | { ok: false; reason: string };

/**
 * Reads a mapping file's text. Never throws; a refusal is one line naming the file and the field,
 * e.g. `nanoKONTROL2.yaml: mappings[3].max: 2 is outside mix's range 0–1`.
 */
export function parseMappingFile(text: string, fileName: string): ParseMappingResult {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return { ok: false, reason: `${fileName}: not valid YAML (${firstLine(doc.errors[0]!.message)})` };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // aliases that would expand without bound (a "billion laughs" file)
    return { ok: false, reason: `${fileName}: not a usable mapping file (${firstLine((e as Error).message)})` };
  }
  // reportInput: "is required" and "must be a whole number" are told apart by the input
  const parsed = fileSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${fileName}: ${fieldPath(issue.path)}: ${issueText(issue)}` };
  }
  const f = parsed.data;
  const mappings: MidiMapping[] = [];
  for (const [i, entry] of (f.mappings ?? []).entries()) {
    const at = `${fileName}: mappings[${i}]`;
    const found = mappableParameter(entry.parameter);
    if (!found.ok) return { ok: false, reason: `${at}.parameter: ${found.reason}` };
    if ((entry.cc === undefined) === (entry.note === undefined)) return { ok: false, reason: `${at}: needs exactly one of "cc" or "note"` };
    if (entry.relative !== undefined && entry.relative !== 'none' && entry.cc === undefined) {
      return { ok: false, reason: `${at}.relative: relative encoders send CC, not notes` };
    }
    const p = found.parameter;
    // every nudge moves the phase again: a knob would nudge by its position on every message
    if (p.name === 'nudge' && entry.cc !== undefined && (entry.relative ?? 'none') === 'none') {
      return { ok: false, reason: `${at}: nudge moves the phase by every value sent, so a knob would keep nudging: use an endless encoder (relative) or a pad` };
    }
    const numeric = p.type === 'number' || p.type === 'integer';
    for (const end of ['min', 'max'] as const) {
      const v = entry[end];
      if (v === undefined) continue;
      if (!numeric) return { ok: false, reason: `${at}.${end}: ${p.name} is ${p.type === 'trigger' ? 'a trigger' : `${p.type === 'enum' ? 'an' : 'a'} ${p.type}`}, it has no range` };
      if (v < p.min! || v > p.max!) return { ok: false, reason: `${at}.${end}: ${v} is outside ${p.name}'s range ${describeRange(p)}` };
    }
    const control = { device: f.device, channel: entry.channel ?? 0, kind: entry.cc !== undefined ? 'cc' as const : 'note' as const, number: entry.cc ?? entry.note! };
    const mapping: MidiMapping = {
      ...defaultMapping(control, p),
      ...definedOnly({ min: entry.min, max: entry.max, curve: entry.curve, takeover: entry.takeover, relative: entry.relative, noteMode: entry.noteMode }),
    };
    const earlier = mappings.findIndex((m) => sameControl(m, mapping));
    if (earlier >= 0) return { ok: false, reason: `${at}: ${control.kind} ${control.number} on channel ${control.channel} is already mapped by mappings[${earlier}]` };
    mappings.push(mapping);
  }
  return { ok: true, file: { device: f.device, feedback: f.feedback ?? true, programChange: f.programChange ?? [], mappings } };
}

/** The YAML text of a mapping file; `parseMappingFile` reads it back to the same mappings. */
export function formatMappingFile(file: MappingFile): string {
  const doc = {
    device: file.device,
    feedback: file.feedback,
    programChange: [...file.programChange],
    mappings: file.mappings.map((m) => ({
      parameter: m.parameter,
      [m.kind]: m.number,
      channel: m.channel,
      ...(hasRange(m.parameter) ? { min: m.min, max: m.max } : {}),
      curve: m.curve,
      takeover: m.takeover,
      relative: m.relative,
      noteMode: m.noteMode,
    })),
  };
  return `# Synesthete MIDI mappings for one controller (format: docs/midi.md)\n${stringify(doc)}`;
}

function hasRange(name: string): boolean {
  const type = findParameter(name)?.type;
  return type === 'number' || type === 'integer';
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('');
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys': return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value': return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type': return issue.input === undefined ? 'is required' : `must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}`;
    case 'too_big': return `must be at most ${Number(issue.maximum)}${issue.origin === 'string' ? ' characters long' : issue.origin === 'array' ? ' entries' : ''}`;
    case 'too_small': return issue.origin === 'string' ? 'must not be empty' : `must be at least ${Number(issue.minimum)}`;
    default: return firstLine(issue.message);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/:\s*$/, '');
}
