import type REGL from 'regl';
import type { Piece } from '../sync/timeline.js';
import type { BeatGrid } from '../sync/beatGrid.js';
import type { TexturePool } from './texturePool.js';
import { type ViewWindow, drawPieces } from './viewWindow.js';
import { fullScreen } from './fullScreen.js';

/**
 * The scene: the pictures of the pieces heard across the view window, each column where its
 * sound is heard (a segment looping wraps its columns), a piece after a change fading in over
 * the one before as its crossfade sounds; then bar and beat lines and the playhead line.
 * Drawn into the scene framebuffer that the effects pass reads.
 */
const PIECE_FRAG = `
precision highp float;
varying vec2 v_uv;
uniform sampler2D u_picture;
uniform float u_x0, u_x1, u_col0, u_colPerX, u_fadeX;
void main() {
  float x = v_uv.x;
  if (x < u_x0 || x >= u_x1) discard;
  float column = fract(u_col0 + x * u_colPerX);
  float a = u_fadeX > 0.0 ? clamp((x - u_x0) / u_fadeX, 0.0, 1.0) : 1.0;
  // picture rows run top to bottom, v_uv.y bottom to top
  gl_FragColor = vec4(texture2D(u_picture, vec2(column, 1.0 - v_uv.y)).rgb, a);
}`;

const OVERLAY_FRAG = `
precision highp float;
varying vec2 v_uv;
uniform float u_beat0, u_beatsPerX, u_beatsPerBar, u_lines, u_playheadX, u_pixel;
void main() {
  float x = v_uv.x;
  float alpha = 0.0;
  if (u_lines > 0.0 && u_beatsPerX > 0.0) {
    float b = u_beat0 + x * u_beatsPerX;
    float nearest = floor(b + 0.5);
    float px = abs(b - nearest) / u_beatsPerX / u_pixel;
    float bar = mod(nearest, u_beatsPerBar) < 0.5 ? 1.0 : 0.35;
    alpha = (1.0 - smoothstep(0.5, 1.5, px)) * bar * u_lines;
  }
  float head = 1.0 - smoothstep(1.0, 2.0, abs(x - u_playheadX) / u_pixel);
  alpha = max(alpha, 0.85 * head);
  gl_FragColor = vec4(1.0, 1.0, 1.0, alpha);
}`;

const BLEND = { enable: true, func: { srcRGB: 'src alpha', srcAlpha: 1, dstRGB: 'one minus src alpha', dstAlpha: 1 } } as const;

export class ScenePass {
  private readonly drawPiece: REGL.DrawCommand;
  private readonly drawOverlay: REGL.DrawCommand;
  /** reused for every piece: the frame loop allocates nothing per piece */
  private readonly props = { picture: null as unknown as REGL.Texture2D, x0: 0, x1: 0, col0: 0, colPerX: 0, fadeX: 0 };
  private readonly overlay = { beat0: 0, beatsPerX: 0, beatsPerBar: 4, lines: 0, playheadX: 0, pixel: 0 };

  constructor(regl: REGL.Regl, private readonly pool: TexturePool) {
    const prop = (name: string) => regl.prop<Record<string, number>, string>(name);
    this.drawPiece = regl({
      ...fullScreen(regl),
      frag: PIECE_FRAG,
      uniforms: { u_picture: prop('picture'), u_x0: prop('x0'), u_x1: prop('x1'), u_col0: prop('col0'), u_colPerX: prop('colPerX'), u_fadeX: prop('fadeX') },
      blend: BLEND,
    });
    this.drawOverlay = regl({
      ...fullScreen(regl),
      frag: OVERLAY_FRAG,
      uniforms: {
        u_beat0: prop('beat0'), u_beatsPerX: prop('beatsPerX'), u_beatsPerBar: prop('beatsPerBar'),
        u_lines: prop('lines'), u_playheadX: prop('playheadX'), u_pixel: prop('pixel'),
      },
      blend: BLEND,
    });
  }

  /** Draws into the bound framebuffer (already cleared). Returns the pieces drawn. */
  draw(view: ViewWindow, pieces: readonly Piece[], grid: BeatGrid | null, lines: number, widthPx: number): number {
    const drawn = drawPieces(view, pieces, this.pool, this.props, this.drawPiece);
    const o = this.overlay;
    o.lines = grid ? lines : 0;
    if (grid) {
      o.beat0 = grid.beatAt(view.left);
      o.beatsPerX = view.across / grid.framesPerBeat;
      o.beatsPerBar = grid.beatsPerBar;
    }
    o.playheadX = view.playheadX;
    o.pixel = 1 / widthPx;
    this.drawOverlay(o);
    return drawn;
  }
}
