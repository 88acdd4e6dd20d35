import { describe, expect, it } from 'vitest';
import { TIMELINE_PLAYHEAD_X, TIMELINE_SPAN_SECONDS } from '../../../../control/protocol/visualState.js';
import { VisualTimeline, renderVideoFrame, videoFrameAt } from '../../../../engine/live/session/sessionVideo.js';

/** A 100 × 4 picture whose red is its column and green `green`. */
function picture(green: number) {
  const rgb = new Uint8Array(100 * 4 * 3);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 100; x++) rgb.set([x, green, 0], (y * 100 + x) * 3);
  return { width: 100, height: 4, rgb };
}

const W = 200, H = 4;
const pieces = [{ picture: picture(60), start: 0, duration: 5 }, { picture: picture(200), start: 5, duration: 5 }];
const pixel = (out: Uint8Array, x: number) => [out[x * 3]!, out[x * 3 + 1]!, out[x * 3 + 2]!];

describe('render OUT.mp4 draws the projector\'s timeline look', () => {
  it('the column heard is under the playhead at 30 % of the width, what comes next to its right', () => {
    const out = new Uint8Array(W * H * 3);
    const t = 4; // 4 s into the first 5 s segment: column 80 of it
    renderVideoFrame(pieces, t, videoFrameAt(new VisualTimeline([]).at(t), W, H), out);
    const head = Math.floor(TIMELINE_PLAYHEAD_X * W);
    // just left of the playhead: the column heard (the line itself is drawn over it)
    expect(pixel(out, head - 1)).toEqual([80 - Math.ceil(100 / 5 * TIMELINE_SPAN_SECONDS / W), 60, 0]);
    // the playhead line: white at 85 %
    expect(pixel(out, head)[2]).toBe(217);
    // 1 s later on screen: the next segment has started
    const oneSecond = W / TIMELINE_SPAN_SECONDS;
    expect(pixel(out, head + oneSecond + 1)[1]).toBe(200);
    // before the start of the show: black
    renderVideoFrame(pieces, 0.5, videoFrameAt(new VisualTimeline([]).at(0.5), W, H), out);
    expect(pixel(out, 0)).toEqual([0, 0, 0]);
  });

  it('follows the session\'s blackout and speed, in order', () => {
    const visuals = new VisualTimeline([
      { at: 3, line: 3, command: { type: 'blackout', on: false } },
      { at: 1, line: 1, command: { type: 'blackout', on: true } },
      { at: 2, line: 2, command: { type: 'visual', name: 'speed', value: 2 } },
    ]);
    const out = new Uint8Array(W * H * 3);
    expect(videoFrameAt(visuals.at(0.5), W, H)).toMatchObject({ blackout: false, spanSeconds: TIMELINE_SPAN_SECONDS });
    const dark = videoFrameAt(visuals.at(1.5), W, H);
    renderVideoFrame(pieces, 1.5, dark, out);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(videoFrameAt(visuals.at(2.5), W, H)).toMatchObject({ blackout: true, spanSeconds: TIMELINE_SPAN_SECONDS / 2 });
    expect(videoFrameAt(visuals.at(3.5), W, H)).toMatchObject({ blackout: false, spanSeconds: TIMELINE_SPAN_SECONDS / 2 });
  });
});
