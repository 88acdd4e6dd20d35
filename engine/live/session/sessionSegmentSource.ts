import { join } from 'node:path';
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
  private next = 0;
  private readonly loaded = new Map<number, SegmentDraft>();

  constructor(private readonly dir: string) {
    const entries = readJournal(dir);
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
      const picture = readPng(join(this.dir, entry.png));
      const wav = readWav(join(this.dir, entry.wav));
      draft = { picture, audio: [wav.channels[0]!, wav.channels[1] ?? wav.channels[0]!], recipe: entry.recipe };
      this.loaded.set(key, draft);
    }
    return draft;
  }

  async dispose(): Promise<void> {}
}
