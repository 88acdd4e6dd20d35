import type REGL from 'regl';
import type { Piece } from '../sync/timeline.js';
import type { TexturePool } from './texturePool.js';
import { columnAt } from '../sync/timeline.js';

/** The timeline's geometry lives with the protocol: `render OUT.mp4` draws the same timeline. */
export { TIMELINE_PLAYHEAD_X as PLAYHEAD_X, TIMELINE_SPAN_SECONDS as SPAN_SECONDS } from '../../control/protocol/visualState.js';
import { TIMELINE_PLAYHEAD_X as PLAYHEAD_X, TIMELINE_SPAN_SECONDS as SPAN_SECONDS } from '../../control/protocol/visualState.js';

/** What part of the output timeline the screen shows: frames `left` to `left + across`. */
export interface ViewWindow {
  readonly left: number;
  readonly across: number;
  /** where the playhead line is drawn, 0..1 of the width */
  readonly playheadX: number;
}

/** The timeline looks: the frame heard under the playhead, `SPAN_SECONDS / speed` across. */
export function timelineWindow(frame: number, sampleRate: number, speed: number): ViewWindow {
  const across = (SPAN_SECONDS / speed) * sampleRate;
  return { left: frame - PLAYHEAD_X * across, across, playheadX: PLAYHEAD_X };
}

/** The frame look: the whole picture heard now, the playhead at the column heard. */
export function frameWindow(frame: number, heard: Piece): ViewWindow {
  const column = columnAt(heard, frame);
  return { left: frame - column * heard.frames, across: heard.frames, playheadX: column };
}

/** Where a piece lies on the screen and which of its columns each x shows (the uniforms both timeline passes use). */
export interface PieceUniforms {
  /** its extent, 0..1 of the width (beyond when it starts before or ends after the screen) */
  x0: number;
  x1: number;
  /** the column (0..1, a fraction of a pass) at x = 0, and passes per screen width */
  col0: number;
  colPerX: number;
  /** its crossfade's width, 0..1 of the width */
  fadeX: number;
}

/** Fills `out` for `piece` in `view` (reused every frame: the frame loop allocates nothing per piece). */
export function pieceUniforms(view: ViewWindow, piece: Piece, out: PieceUniforms): void {
  out.x0 = (piece.startFrame - view.left) / view.across;
  out.x1 = piece.endFrame === Infinity ? 2 : (piece.endFrame - view.left) / view.across;
  const passes = (view.left - piece.anchorFrame) / piece.frames;
  out.col0 = passes - Math.floor(passes);
  out.colPerX = view.across / piece.frames;
  out.fadeX = piece.fadeInFrames / view.across;
}

/**
 * Draws each piece whose picture is on the GPU with `draw`, its texture and uniforms filled into
 * `props` (one object reused: nothing is allocated per piece). Returns the pieces drawn.
 */
export function drawPieces<P extends PieceUniforms & { picture: REGL.Texture2D }>(
  view: ViewWindow, pieces: readonly Piece[], pool: TexturePool, props: P, draw: (props: P) => void,
): number {
  let drawn = 0;
  for (const piece of pieces) {
    const texture = pool.get(piece.segmentId);
    if (!texture) continue;
    props.picture = texture;
    pieceUniforms(view, piece, props);
    draw(props);
    drawn++;
  }
  return drawn;
}
