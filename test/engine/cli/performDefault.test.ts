import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../../engine/io/wav.js';
import { synesthete } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';

interface SegmentLine { type: 'segment'; id: number; repeat: boolean; png: string; wav: string; recipe: { description: string } }

describe('synesthete perform with no options (the out-of-the-box show)', () => {
  it('moves: 30 s tour the bundled loops with a changing imprint, every segment new to the eye and the ear', () => {
    const dir = tempDir();
    const session = join(dir, 'session');
    // the default show, rendered offline to a file and recorded so every segment can be compared
    const run = synesthete('perform', '--wav', join(dir, 'show.wav'), '--duration', '30', '--record', session);
    expect(run.code, run.stderr).toBe(0);
    const segments = readFileSync(join(session, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string })
      .filter((e): e is SegmentLine => e.type === 'segment' && !(e as SegmentLine).repeat);
    // 30 s of 5.12 s loops
    expect(segments.length).toBeGreaterThanOrEqual(5);

    const pictures = segments.map((s) => createHash('sha256').update(readFileSync(join(session, s.png))).digest('hex'));
    expect(new Set(pictures).size, 'every segment shows a different sound-picture').toBe(segments.length);
    const beats = new Set(segments.map((s) => /on (\w+), k /.exec(s.recipe.description)?.[1]));
    expect(beats.size, segments.map((s) => s.recipe.description).join('\n')).toBeGreaterThanOrEqual(3);
    expect(segments[0]!.recipe.description).toMatch(/imprint "SYNESTHETE" \(tour\) on og_beat, k 0\.4/);

    // and sounds different: the RMS difference of neighbouring segments' audio is a large part of their level
    const audio = segments.map((s) => readWav(join(session, s.wav)).channels[0]!);
    for (let i = 1; i < audio.length; i++) {
      const a = audio[i - 1]!, b = audio[i]!;
      const n = Math.min(a.length, b.length);
      let diff = 0, level = 0;
      for (let j = 0; j < n; j++) {
        diff += (a[j]! - b[j]!) ** 2;
        level += a[j]! ** 2 + b[j]! ** 2;
      }
      expect(Math.sqrt(diff / (level / 2)), `segments ${i - 1} and ${i}`).toBeGreaterThan(0.2);
    }
  });
});
