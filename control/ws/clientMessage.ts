import { safeText } from '../protocol/describeInput.js';
import type { ClientMessage } from '../protocol/webProtocol.js';

export type ParsedClientMessage =
  | { readonly ok: true; readonly message: ClientMessage; readonly id: string | number | null }
  | { readonly ok: false; readonly reason: string; readonly id: string | number | null };

const MAX_ID_LENGTH = 100;

/**
 * Reads one WebSocket text frame. Never throws; a refusal is one line naming what is wrong, with
 * the client's `id` when it could be read, so the client can match the refusal to its request.
 * The command inside is validated later by the show (one schema for every surface).
 */
export function parseClientMessage(text: string): ParsedClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `not JSON: ${safeText(text, 40)}`, id: null };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'expected a JSON object with a "type"', id: null };
  const m = value as Record<string, unknown>;
  const id = readId(m.id);
  if (id === undefined) return { ok: false, reason: `"id" must be a string of at most ${MAX_ID_LENGTH} characters or a number`, id: null };
  switch (m.type) {
    case 'command':
      if (!('command' in m)) return { ok: false, reason: 'a "command" message needs a "command" object (docs/commands.md)', id };
      return { ok: true, message: { type: 'command', id: id ?? undefined, command: m.command } as ClientMessage, id };
    case 'learn':
      if (typeof m.parameter !== 'string') return { ok: false, reason: 'a "learn" message needs a "parameter" name', id };
      return { ok: true, message: { type: 'learn', parameter: m.parameter, ...(id !== null ? { id } : {}) }, id };
    case 'output-stats': {
      const [frames, skipped, drawMeanMs] = [m.frames, m.skipped, m.drawMeanMs].map((v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e12 ? v : null));
      if (frames == null || skipped == null || drawMeanMs == null) return { ok: false, reason: '"output-stats" needs frames, skipped and drawMeanMs as numbers of at least 0', id };
      return { ok: true, message: { type: 'output-stats', frames, skipped, drawMeanMs }, id };
    }
    case 'learn-cancel': case 'ping':
      return { ok: true, message: { type: m.type, ...(id !== null ? { id } : {}) }, id };
    default:
      // never stringify what a client sent: a deeply nested value would overflow the stack
      return { ok: false, reason: `unknown message type ${typeof m.type === 'string' ? safeText(m.type, 40) : m.type === undefined ? '(none)' : `(${Array.isArray(m.type) ? 'an array' : typeof m.type})`}: expected command, learn, learn-cancel, ping or output-stats`, id };
  }
}

function readId(id: unknown): string | number | null | undefined {
  if (id === undefined || id === null) return null;
  if (typeof id === 'string' && id.length <= MAX_ID_LENGTH) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  return undefined;
}
