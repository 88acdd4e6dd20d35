import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

/**
 * A JSON object from a file, or a UserError naming the file: missing (with `missingHint`), not
 * JSON, or not an object. Model folders, tokenizers and cases are all configured this way.
 */
export function readJsonObject(file: string, missingHint = ''): Record<string, unknown> {
  if (!existsSync(file)) throw new UserError(`${file}: missing${missingHint ? ` (${missingHint})` : ''}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UserError(`${file}: expected a JSON object`);
  return parsed as Record<string, unknown>;
}
