import { isAbsolute, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import type { Command } from '../../../control/protocol/commands.js';
import type { RecipeSummary } from '../../../control/protocol/state.js';
import type { PlaybackOp } from '../playback/playback.js';
import { UserError } from '../../errors.js';
import { readInputFile } from '../../io/inputFile.js';
import { INPUT_LIMITS } from '../../io/inputLimits.js';

/**
 * A recorded session: DIR/journal.jsonl, append-only, one JSON object per line, and the played
 * segments as DIR/segments/NNNNNN.png + .wav (float32 stereo). Each segment's files are written
 * before its journal line, and every line is flushed to disk as it is written, so after a crash
 * (even kill -9) the journal up to its last complete line is valid and playable.
 */
export const JOURNAL = 'journal.jsonl';
export const SEGMENTS = 'segments';

/**
 * Version 2 adds output frames: each segment start's `frame` and `fittedBpm`, `playback` entries
 * (instant controls, freeze, tempo, nudges at the frame the playback applied them) and the `end`
 * frame, so a rehearsal replays the show's timeline sample for sample. Version 1 journals (segments
 * back to back) still play.
 */
export type JournalEntry =
  | { readonly type: 'session'; readonly version: 1 | 2; readonly sampleRate: number; readonly started: string }
  | { readonly type: 'command'; readonly t: number; readonly command: Command }
  /** a segment boundary: `repeat` when the same segment played again (late next one, or frozen) */
  | { readonly type: 'segment'; readonly t: number; readonly id: number; readonly repeat: boolean;
      readonly png: string; readonly wav: string; readonly recipe: RecipeSummary;
      /** the segment whose files hold this one's audio, when it is the same audio (stored once) */
      readonly audioOf?: number;
      /** v2: output frame at which it started */
      readonly frame?: number;
      /** v2: tempo it was fitted to (null: free) */
      readonly fittedBpm?: number | null }
  | { readonly type: 'playback'; readonly frame: number; readonly op: PlaybackOp }
  /** v2: the show ended here (the last frame heard); rehearsals stop at the same frame */
  | { readonly type: 'end'; readonly frame: number };

export function segmentFiles(id: number): { png: string; wav: string } {
  const stem = String(id).padStart(6, '0');
  return { png: join(SEGMENTS, `${stem}.png`), wav: join(SEGMENTS, `${stem}.wav`) };
}

/**
 * A path a journal names, relative to the session folder and inside it. Journals are shared like
 * any file, so `../../etc/passwd` or an absolute path must not be read on their say-so.
 */
const insidePath = z.string().min(1).max(4096)
  // the recorder writes segments/NNNNNN.png: a control character is damage, and would reach the terminal in messages
  .refine((p) => !/[\p{Cc}\p{Cf}]/u.test(p), 'must not contain control or invisible characters')
  .refine((p) => {
    if (isAbsolute(p)) return false;
    const n = normalize(p);
    return n !== '..' && !n.startsWith(`..${sep}`) && !n.startsWith('../');
  }, 'must be a path inside the session folder');

const time = z.number().finite().min(0);
const id = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** an output frame: whole, at most a year of audio at 192 kHz */
const frame = z.number().int().min(0).max(192_000 * 3600 * 24 * 366);
const bpm = z.number().min(20).max(300);

/** What the playback applied; ranges as the commands that cause them. */
const playbackOp = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('instant'), gain: z.number().min(0).max(1).optional(), filter: z.number().min(-1).max(1).optional() }),
  z.strictObject({ kind: z.literal('freeze'), on: z.boolean() }),
  z.strictObject({ kind: z.literal('tempo'), bpm }),
  z.strictObject({ kind: z.literal('bend'), frames: z.number().finite().min(-192_000 * 60).max(192_000 * 60) }),
]);

const headerSchema = z.looseObject({
  type: z.literal('session'),
  version: z.union([z.literal(1), z.literal(2)]),
  sampleRate: z.number().int().min(INPUT_LIMITS.minSampleRate).max(INPUT_LIMITS.maxSampleRate),
  started: z.string().max(100),
});

const entrySchema = z.discriminatedUnion('type', [
  // Commands are kept for the record; replay does not apply them, so their fields are not checked here.
  z.looseObject({ type: z.literal('command'), t: time, command: z.looseObject({ type: z.string() }) }),
  z.looseObject({
    type: z.literal('segment'), t: time, id, repeat: z.boolean(), png: insidePath, wav: insidePath,
    recipe: z.looseObject({ description: z.string() }), audioOf: id.optional(),
    frame: frame.optional(), fittedBpm: bpm.nullable().optional(),
  }),
  z.looseObject({ type: z.literal('playback'), frame, op: playbackOp }),
  z.looseObject({ type: z.literal('end'), frame }),
]);

/** The first issue of a failed parse as `field: message`. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/**
 * Reads and validates a journal: the header and every line against the schema, every file path
 * inside `dir`. A torn last line (not complete JSON: the process died mid-write, or the disk
 * filled) is reported through `onDamage` and the session is played up to it; any other bad line is
 * an error naming the file, line and field.
 *
 * @throws UserError naming FILE:LINE and the field
 */
export function readJournal(dir: string, onDamage: (message: string) => void = () => undefined): JournalEntry[] {
  const file = join(dir, JOURNAL);
  const text = readInputFile(file, 'session journal', INPUT_LIMITS.journalBytes).toString('utf8');
  const lines = text.split('\n');
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  if (lines.length === 0) throw new UserError(`${file}: not a Synesthete session journal (empty)`);
  const entries: JournalEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const problem = checkLine(lines[i]!, i === 0, entries);
    if (problem === undefined) continue;
    const where = `${file}:${i + 1}`;
    if (i === 0) throw new UserError(`${where}: not a Synesthete session journal (${problem})`);
    // Only an unfinished write is damage: a complete line that breaks the schema is refused.
    if (i === lines.length - 1 && problem === NOT_JSON) {
      onDamage(`${where}: damaged last line (${problem}); playing the session up to line ${i}`);
      break;
    }
    throw new UserError(`${where}: ${problem}`);
  }
  return entries;
}

const NOT_JSON = 'not a JSON object';

/** Parses one line into `entries`; returns what is wrong with it, or undefined. */
function checkLine(line: string, first: boolean, entries: JournalEntry[]): string | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return NOT_JSON;
  }
  const result = (first ? headerSchema : entrySchema).safeParse(raw);
  if (!result.success) return first && (raw as { type?: unknown } | null)?.type !== 'session' ? 'no session header' : describeIssue(result.error);
  entries.push(result.data as unknown as JournalEntry);
  return undefined;
}
