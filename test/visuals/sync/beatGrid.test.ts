import { describe, expect, it } from 'vitest';
import { BeatGrid } from '../../../visuals/sync/beatGrid.js';

describe('BeatGrid', () => {
  it('places the beats from the transport position heard at a frame', () => {
    // 120 BPM at 1000 Hz: 500 frames a beat; bar 3 beat 2, a quarter through, heard at frame 10000
    const grid = new BeatGrid({ frame: 10_000, bpm: 120, beatsPerBar: 4, bar: 3, beat: 2, phase: 0.25 }, 1000);
    expect(grid.beatAt(10_000)).toBeCloseTo(9.25, 9);
    expect(grid.beatAt(10_375)).toBeCloseTo(10, 9);
    // bar 4 starts at beat 12
    expect(grid.frameOfBeat(12)).toBeCloseTo(11_375, 9);
    expect(grid.framesPerBeat).toBe(500);
  });
});
