import { describe, expect, it } from 'vitest';
import { Timeline, columnAt } from '../../../visuals/sync/timeline.js';

// segments of 1000 frames; the crossfade 100 frames
const timeline = () => new Timeline({ crossfadeFrames: 100 });

describe('Timeline', () => {
  it('says which segment and column is heard at a frame, and loops a segment that is not followed yet', () => {
    const t = timeline();
    expect(t.at(0)).toBeNull();
    t.ready(1, 1000, 0);
    t.started(1, 0);
    expect(t.at(250)).toEqual({ segmentId: 1, column: 0.25 });
    // nothing else ready: the segment loops, as the playback does (a late repeat)
    expect(t.at(1250)).toEqual({ segmentId: 1, column: 0.25 });
  });

  it('shows a segment rendered ahead where it will be heard, and it is heard there', () => {
    const t = timeline();
    t.ready(1, 1000, 0);
    t.started(1, 0);
    t.ready(2, 1000, 1500); // a change on the next bar, mid-way through the second pass
    const ahead = t.pieces(200, 3000);
    expect(ahead.map((p) => [p.segmentId, p.startFrame, p.endFrame, p.planned])).toEqual([[1, 0, 1600, false], [2, 1500, Infinity, true]]);
    expect(t.at(1499)!.segmentId).toBe(1);
    expect(t.at(1500)).toEqual({ segmentId: 2, column: 0 });
    // without a planned frame the next one follows at the end of the pass in progress
    t.ready(3, 500, null);
    expect(t.pieces(0, 5000).map((p) => [p.segmentId, p.startFrame])).toEqual([[1, 0], [2, 1500], [3, 2500]]);
  });

  it('draws the crossfade: the outgoing segment goes on under the incoming one from where it was', () => {
    const t = timeline();
    t.ready(1, 1000, 0);
    t.started(1, 0);
    t.ready(2, 1000, 1500);
    t.started(2, 1500);
    const [a, b] = t.pieces(1400, 1700);
    expect(a).toMatchObject({ segmentId: 1, endFrame: 1600, planned: false });
    expect(b).toMatchObject({ segmentId: 2, startFrame: 1500, fadeInFrames: 100, planned: false });
    expect(columnAt(a!, 1550)).toBeCloseTo(0.55, 9);
    expect(columnAt(b!, 1550)).toBeCloseTo(0.05, 9);
  });

  it('while frozen, the playing segment loops and what is rendered ahead is not shown', () => {
    const t = timeline();
    t.ready(1, 1000, 0);
    t.started(1, 0);
    t.ready(2, 1000, 2000);
    t.setFrozen(true);
    expect(t.pieces(0, 5000).map((p) => p.segmentId)).toEqual([1]);
    expect(t.at(3300)).toEqual({ segmentId: 1, column: expect.closeTo(0.3, 9) });
    t.setFrozen(false);
    expect(t.pieces(0, 5000).map((p) => p.segmentId)).toEqual([1, 2]);
  });

  it('re-anchors the loop on a repeat (a retimed segment loops where the playback says)', () => {
    const t = timeline();
    t.ready(1, 1000, 0);
    t.started(1, 0);
    t.started(1, 1020, false); // retimed 2 % slower: the second pass began at 1020
    expect(t.at(1020)).toEqual({ segmentId: 1, column: 0 });
    expect(t.pieces(1100, 1200).map((p) => [p.segmentId, p.fadeInFrames])).toEqual([[1, 0]]);
  });

  it('forgets old segments', () => {
    const t = new Timeline({ keep: 2 });
    for (let id = 1; id <= 5; id++) {
      t.ready(id, 1000, null);
      t.started(id, (id - 1) * 1000);
    }
    expect(t.knows(3)).toBe(false);
    expect(t.knows(4)).toBe(true);
    expect(t.at(4500)).toEqual({ segmentId: 5, column: 0.5 });
  });
});
