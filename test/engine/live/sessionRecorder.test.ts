import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../engine/live/session/sessionJournal.js';
import { SessionRecorder } from '../../../engine/live/session/sessionRecorder.js';
import type { Segment } from '../../../engine/live/segment.js';
import { tempDir } from '../../helpers/fixtures.js';

function segment(id: number): Segment {
  const audio = new Float32Array(441).fill(0.1);
  return {
    id, audioId: id, version: 0, fittedBpm: null, bars: null, picture: { width: 2, height: 2, rgb: new Uint8Array(12).fill(128) }, audio: [audio, audio],
    recipe: { source: 'imprint', preset: null, prompts: { audio: null, picture: null }, seed: 0, description: 'x' },
  };
}

describe('SessionRecorder', () => {
  it('stops recording with one warning when it cannot write, and never throws into the show', async () => {
    const dir = join(tempDir(), 'session');
    const warnings: string[] = [];
    const recorder = await SessionRecorder.open(dir, 44100, (m) => warnings.push(m));
    recorder.command(0.5, { type: 'seed', value: 3 });
    recorder.segment(0, segment(1), false);
    await recorder.close().catch(() => undefined);
    // a second recorder whose segment folder disappears mid-show (as a full or removed disk would)
    const dir2 = join(tempDir(), 'session');
    const recorder2 = await SessionRecorder.open(dir2, 44100, (m) => warnings.push(m));
    recorder2.segment(0, segment(1), false);
    await new Promise((r) => setTimeout(r, 200)); // the background writes of segment 1 finish
    rmSync(join(dir2, 'segments'), { recursive: true, force: true });
    recorder2.segment(5, segment(2), false);
    recorder2.segment(10, segment(3), false);
    await recorder2.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/recording stopped .*the performance goes on/);
    // what was written before the failure is still a valid journal
    const kinds = readJournal(dir2).map((e) => e.type);
    expect(readJournal(dir2)[0]).toMatchObject({ type: 'session', version: 2 });
    expect(kinds[0]).toBe('session');
    expect(kinds.filter((k) => k === 'segment')).toHaveLength(1);
    expect(readJournal(dir).map((e) => e.type)).toEqual(['session', 'command', 'segment']);
  });
});
