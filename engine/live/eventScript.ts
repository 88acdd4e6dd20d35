import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { type Command, describeValue, parseCommand } from '../../control/protocol/commands.js';

/**
 * `--events` scripts: JSON Lines, one `{"at": seconds, "command": {...}}` per line, applied at
 * those times (seconds since the engine started). Used for scripted rehearsals and tests, so a
 * script is checked completely before anything plays: a typo on line 40 must not surface ten
 * minutes into a rehearsal. Format documented in docs/commands.md.
 */

export interface ScriptedEvent {
  /** seconds since engine start */
  readonly at: number;
  readonly command: Command;
  /** 1-based line in the script, for messages about this event later on */
  readonly line: number;
}

const LINE_FIELDS = ['at', 'command'];

/**
 * Parses an events script. Blank lines are skipped; events come back sorted by `at`, and events
 * with the same `at` keep their order in the file (the engine applies them in that order, so
 * `preset` then `prompt` at the same time means "load, then override the prompt").
 * The first bad line throws a UserError `FILE:LINE: reason`.
 */
export function parseEventScript(text: string, file: string): ScriptedEvent[] {
  const events: ScriptedEvent[] = [];
  // Strip a BOM (Windows editors add one) so line 1 is not reported as bad JSON.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((source, index) => {
    if (source.trim() === '') return;
    const line = index + 1;
    const bad = (reason: string) => new UserError(`${file}:${line}: ${reason}`);
    let raw: unknown;
    try {
      raw = JSON.parse(source);
    } catch (e) {
      throw bad(`not valid JSON (${(e as Error).message.split('\n')[0]})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw bad(`each line must be a JSON object {"at": seconds, "command": {...}} (got ${describeValue(raw)})`);
    }
    const record = raw as Record<string, unknown>;
    // Unknown fields first: a misspelt "at" would otherwise be reported as a missing one.
    const unknown = Object.keys(record).filter((k) => !LINE_FIELDS.includes(k));
    if (unknown.length > 0) {
      throw bad(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (valid: ${LINE_FIELDS.join(', ')})`);
    }
    const at = record.at;
    if (at === undefined) throw bad('at: is required (seconds since start)');
    if (typeof at !== 'number') throw bad(`at: must be a number of seconds (got ${describeValue(at)})`);
    if (!Number.isFinite(at)) throw bad(`at: must be a finite number of seconds (got ${String(at)})`);
    if (at < 0) throw bad(`at: must be at least 0 (got ${String(at)})`);
    if (record.command === undefined) throw bad('command: is required');
    // parseCommand would read a string as JSON; a script holds commands as objects, and a quoted
    // command is more likely an editing slip than intent.
    if (typeof record.command === 'string') throw bad(`command: must be a JSON object, not a string`);
    const parsed = parseCommand(record.command);
    if (!parsed.ok) throw bad(parsed.reason);
    events.push({ at, command: parsed.command, line });
  });
  // Array.prototype.sort is stable (ES2019), which gives same-time events their file order.
  return events.sort((a, b) => a.at - b.at);
}

/** Reads and parses an events script; a missing or unreadable file is a UserError naming it. */
export function readEventScript(path: string): ScriptedEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read events file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseEventScript(text, path);
}
