import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../../../control/protocol/commands.js';
import type { RecipeSummary } from '../../../control/protocol/state.js';
import type { PlaybackOp } from '../playback/playback.js';
import { UserError } from '../../errors.js';

/**
 * A recorded session: DIR/journal.jsonl, append-only, one JSON object per line, and the played
 * segments as DIR/segments/NNNNNN.png + .wav (float32 stereo). Each segment's files are written
 * before its journal line, and every line is flushed to disk as it is written, so after a crash
 * (even kill -9) the journal up to its last complete line is valid and playable.
 */
export const JOURNAL = 'journal.jsonl';
export const SEGMENTS = 'segments';

/**
 * Version 2 adds output frames: each segment start's `frame` and `fittedBpm`, and `playback`
 * entries (instant controls, freeze, tempo, nudges at the frame the playback applied them), so a
 * rehearsal replays the show's timeline sample for sample. Version 1 journals (segments back to
 * back) still play.
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
 * Reads a journal. A torn last line (the process died mid-write) is ignored; any other bad line is
 * an error naming the file and line.
 */
export function readJournal(dir: string): JournalEntry[] {
  const file = join(dir, JOURNAL);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read session journal (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      const torn = i === lines.length - 1; // no newline after it: the write did not finish
      if (!torn) throw new UserError(`${file}:${i + 1}: not a JSON journal entry`);
    }
  });
  if (entries[0]?.type !== 'session') throw new UserError(`${file}: not a Synesthete session journal (no session header)`);
  return entries;
}
