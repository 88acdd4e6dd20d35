import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UserError } from '../../errors.js';
import { readPng } from '../../io/png.js';
import { readWav } from '../../io/wav.js';
import type { ControlSettings } from '../controlState.js';
import type { SegmentDraft } from '../segment.js';
import type { SegmentSource } from '../segmentSource.js';
import type { TimelinePiece } from './sessionVideo.js';
import { type JournalEntry, readJournal } from './sessionJournal.js';

type SegmentEntry = Extract<JournalEntry, { type: 'segment' }>;

/**
 * A recorded session played back: the recorded segments in their recorded order, repeats
 * included, so the audio is the same as at the show (deterministic, no models needed).
 */
export class SessionSegmentSource implements SegmentSource {
  readonly name = 'session' as const;
  readonly boundaries: readonly SegmentEntry[];
  readonly sampleRate: number;
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
  }

  /** Seconds the recorded boundaries cover (the last segment played to its end). */
  get durationSeconds(): number {
    const last = this.timeline().at(-1);
    return last ? last.start + last.duration : 0;
  }

  /** The recorded boundaries as played offline: each segment's picture and the audio time it took. */
  timeline(): TimelinePiece[] {
    let start = 0;
    return this.boundaries.map((b) => {
      const draft = this.load(b);
      const duration = draft.audio[0].length / this.sampleRate;
      const piece = { picture: draft.picture, start, duration };
      start += duration;
      return piece;
    });
  }

  async render(_settings: Readonly<ControlSettings>): Promise<SegmentDraft | undefined> {
    const entry = this.boundaries[this.next++];
    return entry ? this.load(entry) : undefined;
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

  async dispose(): Promise<void> {}
}
