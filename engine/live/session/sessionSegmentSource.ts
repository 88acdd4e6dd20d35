import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { type Command, VISUAL_COMMANDS, parseCommand } from '../../../control/protocol/commands.js';
import type { ScriptedEvent } from '../eventScript.js';
import { UserError } from '../../errors.js';
import { readPng } from '../../io/png.js';
import { readWav } from '../../io/wav.js';
import type { ControlSettings } from '../controlState.js';
import type { PlaybackOp } from '../playback/playback.js';
import type { SegmentDraft } from '../segment.js';
import type { SegmentSource } from '../segmentSource.js';
import type { TimelinePiece } from './sessionVideo.js';
import { type JournalEntry, readJournal } from './sessionJournal.js';

type SegmentEntry = Extract<JournalEntry, { type: 'segment' }>;

/**
 * A recorded session played back: each recorded segment starts at the frame it started at the
 * show (v2 journals; v1: back to back), and the playback ops (instant controls, freeze, tempo,
 * nudges) are replayed at their frames, so the audio is the show's, sample for sample
 * (deterministic, no models needed). Segments are read from disk only as they come up.
 */
export class SessionSegmentSource implements SegmentSource {
  readonly name = 'session' as const;
  /** every recorded boundary, repeats included */
  readonly boundaries: readonly SegmentEntry[];
  /** the boundaries that start a segment (what is rendered) */
  private readonly starts: readonly SegmentEntry[];
  readonly ops: ReadonlyArray<{ readonly frame: number; readonly op: PlaybackOp }>;
  /** the projector's commands (look, blackout, effects) at the seconds they were given: replayed as a script */
  readonly visualCommands: readonly ScriptedEvent[];
  readonly sampleRate: number;
  /** where the show ended (v2), if the journal says */
  private readonly endFrame: number | undefined;
  /** what was wrong with the journal's last line, when it was damaged (the session plays up to it) */
  readonly damage: string | undefined;
  private next = 0;
  private readonly loaded = new Map<number, SegmentDraft>();

  constructor(private readonly dir: string) {
    let damage: string | undefined;
    const entries = readJournal(dir, (m) => { damage = m; });
    this.damage = damage;
    const header = entries[0] as Extract<JournalEntry, { type: 'session' }>;
    this.sampleRate = header.sampleRate;
    this.boundaries = entries.filter((e): e is SegmentEntry => e.type === 'segment');
    this.starts = this.boundaries.filter((b) => !b.repeat || b.frame === undefined);
    this.ops = entries.flatMap((e) => (e.type === 'playback' ? [{ frame: e.frame, op: e.op }] : []));
    this.visualCommands = entries.flatMap((e, line) => {
      if (e.type !== 'command' || !(VISUAL_COMMANDS as readonly string[]).includes(e.command.type)) return [];
      // the journal is a file a stranger may hand over: a command that no longer parses is skipped
      const parsed = parseCommand(e.command);
      return parsed.ok ? [{ at: e.t, command: parsed.command, line: line + 1 }] : [];
    });
    this.endFrame = entries.find((e): e is Extract<JournalEntry, { type: 'end' }> => e.type === 'end')?.frame;
  }

  refuse(command: Command): string | null {
    return `a recorded session plays as it was (${command.type} is not replayed)`;
  }

  /** Seconds the recording covers: to where the show ended, else the last segment played to its end. */
  get durationSeconds(): number {
    if (this.endFrame !== undefined) return this.endFrame / this.sampleRate;
    const last = this.timeline().at(-1);
    return last ? last.start + last.duration : 0;
  }

  /**
   * The recorded timeline as heard: each segment's picture from its start to the next start
   * (v1 journals: each played to its end). Reads every picture and WAV header once.
   */
  timeline(): TimelinePiece[] {
    const pieces: TimelinePiece[] = [];
    let start = 0;
    this.starts.forEach((b, i) => {
      const draft = this.load(b);
      const length = draft.audio[0].length / this.sampleRate;
      const begin = b.frame !== undefined ? b.frame / this.sampleRate : start;
      const nextStart = this.starts[i + 1]?.frame;
      const duration = nextStart !== undefined ? nextStart / this.sampleRate - begin : this.lastDuration(b, begin, length);
      pieces.push({ picture: draft.picture, start: begin, duration });
      start = begin + duration;
    });
    return pieces;
  }

  /** The last segment plays to the end of its last recorded repeat. */
  private lastDuration(b: SegmentEntry, begin: number, length: number): number {
    if (b.frame === undefined) return length;
    if (this.endFrame !== undefined) return Math.max(0, this.endFrame / this.sampleRate - begin);
    const repeats = this.boundaries.filter((x) => x.repeat && x.frame !== undefined && x.frame > b.frame!);
    const lastRepeat = repeats.at(-1);
    return (lastRepeat ? lastRepeat.frame! / this.sampleRate - begin : 0) + length;
  }

  async render(_settings: Readonly<ControlSettings>): Promise<SegmentDraft | undefined> {
    const entry = this.starts[this.next++];
    if (!entry) return undefined;
    const draft = this.load(entry);
    return { ...draft, fittedBpm: entry.fittedBpm ?? null, ...(entry.frame !== undefined ? { startFrame: entry.frame } : {}) };
  }

  private load(entry: SegmentEntry): SegmentDraft {
    const key = entry.audioOf ?? entry.id;
    let draft = this.loaded.get(key);
    if (!draft) {
      const picture = readPng(this.inside(entry.png, entry.id));
      const wavFile = this.inside(entry.wav, entry.id);
      const wav = readWav(wavFile);
      if (wav.sampleRate !== this.sampleRate) {
        throw new UserError(`${wavFile}: recorded at ${wav.sampleRate} Hz, but the session is ${this.sampleRate} Hz (segment ${entry.id})`);
      }
      if (wav.channels.length > 2) throw new UserError(`${wavFile}: ${wav.channels.length} channels, a session segment has 1 or 2 (segment ${entry.id})`);
      draft = { picture, audio: [wav.channels[0]!, wav.channels[1] ?? wav.channels[0]!], recipe: entry.recipe };
      // keep the few most recent: a long session is not held in memory whole
      if (this.loaded.size >= 4) this.loaded.delete(this.loaded.keys().next().value!);
      this.loaded.set(key, draft);
    }
    return draft;
  }

  /**
   * A segment file inside the session folder, links resolved: the journal was checked for `..`, and
   * this catches a link in the folder that points out of it.
   */
  private inside(path: string, id: number): string {
    const full = join(this.dir, path);
    let real: string;
    try {
      real = realpathSync(full);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`${full}: ${code === 'ENOENT' ? 'file not found' : `cannot read (${code})`} (segment ${id} of the session journal)`);
    }
    const rel = relative(realpathSync(this.dir), real);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new UserError(`${full}: segment ${id} points outside the session folder; refused`);
    }
    return full;
  }

  async dispose(): Promise<void> {
    this.loaded.clear();
  }
}
