import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../../engine/live/session/sessionJournal.js';
import { SessionSegmentSource } from '../../../../engine/live/session/sessionSegmentSource.js';
import { validPng, validWav } from '../../../helpers/fuzz/fuzzCases.js';
import { tempDir } from '../../../helpers/fixtures.js';
import { userError } from '../../../helpers/userError.js';

const recipe = { source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: 0, description: 'test' };
const header = { type: 'session', version: 1, sampleRate: 44100, started: '2026-01-01T00:00:00Z' };
const segment = (id: number, files: Partial<{ png: unknown; wav: unknown }> = {}) =>
  ({ type: 'segment', t: id, id, repeat: false, png: `segments/${id}.png`, wav: `segments/${id}.wav`, recipe, ...files });

/** A session folder with segments 1 and 2 on disk, a journal of `lines` (objects or raw text), and a secret outside it. */
function session(lines: unknown[], tail = '\n'): string {
  const root = tempDir();
  const dir = join(root, 'session');
  mkdirSync(join(dir, 'segments'), { recursive: true });
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'secret.wav'), validWav(100, 2));
  for (const id of [1, 2]) {
    writeFileSync(join(dir, 'segments', `${id}.png`), validPng(8, 16, null));
    writeFileSync(join(dir, 'segments', `${id}.wav`), validWav(1000 * id, 2));
  }
  writeFileSync(join(dir, 'segments', '8k.wav'), validWav(1000, 2, 8000));
  writeFileSync(join(dir, 'journal.jsonl'), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + tail);
  return dir;
}

const journalOf = (dir: string) => join(dir, 'journal.jsonl');

describe('session journals are data from anywhere: validated, and kept inside their folder', () => {
  it('plays a valid session', () => {
    const source = new SessionSegmentSource(session([header, segment(1), { type: 'command', t: 1, command: { type: 'tempo', bpm: 90 } }, segment(2)]));
    expect(source.timeline().map((p) => Math.round(p.duration * 44100))).toEqual([1000, 2000]);
    expect(source.damage).toBeUndefined();
  });

  it('hands the projector\'s commands to the rehearsal at their times, and skips one that no longer parses', () => {
    const source = new SessionSegmentSource(session([
      header, segment(1), { type: 'command', t: 0.5, command: { type: 'blackout', on: true } }, { type: 'command', t: 1, command: { type: 'tempo', bpm: 90 } },
      { type: 'command', t: 1.5, command: { type: 'visual', name: 'saturation', value: 99 } }, { type: 'command', t: 2, command: { type: 'look', name: 'frame' } }, segment(2),
    ]));
    expect(source.visualCommands.map((e) => [e.at, e.command])).toEqual([[0.5, { type: 'blackout', on: true }], [2, { type: 'look', name: 'frame' }]]);
  });

  it.each([
    ['../outside/secret.wav', 'wav'], ['/etc/passwd', 'wav'], ['../../etc/passwd', 'png'], ['segments/../../outside/secret.wav', 'wav'],
  ])('refuses a segment file %s, naming the journal line', (path, field) => {
    const dir = session([header, segment(1), segment(2, { [field]: path })]);
    expect(userError(() => new SessionSegmentSource(dir))).toBe(`${journalOf(dir)}:3: ${field}: must be a path inside the session folder`);
  });

  it('refuses a segment path with control characters (they would reach the terminal in messages)', () => {
    const dir = session([header, segment(1, { png: 'segme\ts/1.png' })]);
    expect(userError(() => new SessionSegmentSource(dir))).toBe(`${journalOf(dir)}:2: png: must not contain control or invisible characters`);
  });

  it('refuses a link inside the folder that points out of it', () => {
    const dir = session([header, segment(1, { wav: 'segments/link.wav' })]);
    symlinkSync(join(dir, '..', 'outside', 'secret.wav'), join(dir, 'segments', 'link.wav'));
    const source = new SessionSegmentSource(dir);
    expect(userError(() => source.timeline())).toBe(`${join(dir, 'segments/link.wav')}: segment 1 points outside the session folder; refused`);
  });

  it.each([
    ['a null line', 'null', /:3: Invalid input: expected object, received null$/],
    ['a segment whose png is a number', segment(2, { png: 7 }), /:3: png: Invalid input: expected string, received number$/],
    ['a segment with no wav', { ...segment(2), wav: undefined }, /:3: wav: Invalid input: expected string, received undefined$/],
    ['a garbage line', 'garbage', /:3: not a JSON object$/],
    ['an unknown entry type', { type: 'volume', t: 1 }, /:3: type: Invalid discriminator value\. Expected 'command' \| 'segment' \| 'playback' \| 'end'$/],
  ])('refuses %s in the middle with FILE:LINE and the field', (_, bad, message) => {
    const dir = session([header, segment(1), bad, segment(2)]);
    expect(userError(() => new SessionSegmentSource(dir))).toMatch(message);
  });

  it.each([[1e9], [-44100], [0], [44100.5]])('refuses a header sample rate of %s at line 1', (rate) => {
    const dir = session([{ ...header, sampleRate: rate }, segment(1)]);
    expect(userError(() => new SessionSegmentSource(dir))).toMatch(new RegExp(`journal\\.jsonl:1: not a Synesthete session journal \\(sampleRate: `));
  });

  it('refuses an 8 kHz segment in a 44.1 kHz session instead of playing it at the wrong speed', () => {
    const source = new SessionSegmentSource(session([header, segment(1, { wav: 'segments/8k.wav' })]));
    expect(userError(() => source.timeline())).toMatch(/8k\.wav: recorded at 8000 Hz, but the session is 44100 Hz \(segment 1\)$/);
  });

  it('a torn last line (the crash case) is reported once and the session plays up to it', () => {
    const dir = session([header, segment(1), segment(2), '{"type":"segment","t":3,"id'], '');
    const reports: string[] = [];
    const entries = readJournal(dir, (m) => reports.push(m));
    expect(entries.map((e) => e.type)).toEqual(['session', 'segment', 'segment']);
    expect(reports).toEqual([`${journalOf(dir)}:4: damaged last line (not a JSON object); playing the session up to line 3`]);
    const source = new SessionSegmentSource(dir);
    expect(source.damage).toBe(reports[0]);
    expect(source.boundaries).toHaveLength(2);
  });

  it('a complete last line that breaks the schema is refused, not skipped as damage', () => {
    const dir = session([header, segment(1), segment(2, { wav: '../outside/secret.wav' })]);
    expect(() => readJournal(dir, () => { throw new Error('must not be reported as damage'); })).toThrow(/:3: wav: must be a path inside/);
  });

  it('a FIFO as journal is refused at once instead of hanging', () => {
    const dir = tempDir();
    expect(spawnSync('mkfifo', [join(dir, 'journal.jsonl')]).status).toBe(0);
    expect(userError(() => readJournal(dir))).toBe(`${journalOf(dir)}: not a regular file, expected a session journal`);
  });
});
