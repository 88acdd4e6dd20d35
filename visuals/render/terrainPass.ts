import type REGL from 'regl';
import type { Piece } from '../sync/timeline.js';
import type { TexturePool } from './texturePool.js';
import { type ViewWindow, drawPieces } from './viewWindow.js';

/**
 * The terrain look (after the Riffusion app's 3D timeline): the timeline laid down as a height
 * map seen from above and in front, time running left to right past the playhead as in the
 * timeline look, frequency running away from the viewer, each point raised by its loudness (the
 * picture's darkness: docs/sound-pictures.md), coloured as the picture is. One grid mesh, drawn once per piece; its heights are read from the
 * piece's picture in the vertex shader.
 */
const COLUMNS = 384;
const ROWS = 96;

const VERT = `
precision highp float;
attribute vec2 grid;
uniform sampler2D u_picture;
uniform float u_col0, u_colPerX, u_aspect;
varying vec2 v_grid;
varying vec3 v_color;
void main() {
  float column = fract(u_col0 + grid.x * u_colPerX);
  // row 0 of the picture is the highest frequency: put the lows at the front
  vec3 rgb = texture2D(u_picture, vec2(column, 1.0 - grid.y)).rgb;
  // darkness is loudness
  float height = 1.0 - dot(rgb, vec3(0.2126, 0.7152, 0.0722));
  vec3 world = vec3((grid.x - 0.5) * 2.0 * u_aspect, height * 0.35, grid.y * 2.2);
  // a camera above the front edge, looking down the frequency axis
  vec3 eye = world - vec3(0.0, 0.75, -0.9);
  float c = cos(0.5), s = sin(0.5);
  vec3 view = vec3(eye.x, c * eye.y + s * eye.z, -s * eye.y + c * eye.z);
  float f = 1.6;
  // shifted down the screen so the front edge sits at the bottom
  gl_Position = vec4(f * view.x / u_aspect, f * view.y - 0.55 * view.z, view.z * 0.1, view.z);
  v_grid = grid;
  // the peaks a little darker than the picture, the valleys a little lighter: relief
  v_color = rgb * (1.1 - 0.4 * height);
}`;

const FRAG = `
precision highp float;
varying vec2 v_grid;
varying vec3 v_color;
uniform float u_x0, u_x1, u_fadeX, u_playheadX;
void main() {
  float x = v_grid.x;
  if (x < u_x0 || x >= u_x1) discard;
  float a = u_fadeX > 0.0 ? clamp((x - u_x0) / u_fadeX, 0.0, 1.0) : 1.0;
  float head = 1.0 - smoothstep(0.0015, 0.003, abs(x - u_playheadX));
  // far frequencies fade into the dark
  vec3 rgb = mix(v_color, vec3(1.0), 0.85 * head) * (1.0 - 0.6 * v_grid.y);
  gl_FragColor = vec4(rgb, a);
}`;

export class TerrainPass {
  private readonly draw_: REGL.DrawCommand;
  private readonly props = { picture: null as unknown as REGL.Texture2D, x0: 0, x1: 0, col0: 0, colPerX: 0, fadeX: 0, playheadX: 0, aspect: 1 };

  constructor(regl: REGL.Regl, private readonly pool: TexturePool) {
    const points: number[][] = [];
    for (let r = 0; r <= ROWS; r++) for (let c = 0; c <= COLUMNS; c++) points.push([c / COLUMNS, r / ROWS]);
    const cells: number[][] = [];
    for (let r = 0; r < ROWS; r++) {
      for (let c = 0; c < COLUMNS; c++) {
        const i = r * (COLUMNS + 1) + c;
        cells.push([i, i + 1, i + COLUMNS + 1], [i + 1, i + COLUMNS + 2, i + COLUMNS + 1]);
      }
    }
    const prop = (name: string) => regl.prop<Record<string, number>, string>(name);
    this.draw_ = regl({
      vert: VERT,
      frag: FRAG,
      attributes: { grid: regl.buffer(points) },
      // 16-bit indices are WebGL 1's: (385 × 97) vertices fit
      elements: regl.elements({ data: cells, type: 'uint16' }),
      uniforms: {
        u_picture: prop('picture'), u_x0: prop('x0'), u_x1: prop('x1'), u_col0: prop('col0'), u_colPerX: prop('colPerX'),
        u_fadeX: prop('fadeX'), u_playheadX: prop('playheadX'), u_aspect: prop('aspect'),
      },
      // the incoming piece over the outgoing one during a crossfade: equal depths pass
      depth: { enable: true, func: 'lequal' },
      blend: { enable: true, func: { srcRGB: 'src alpha', srcAlpha: 1, dstRGB: 'one minus src alpha', dstAlpha: 1 } },
    });
  }

  /** Draws into the bound framebuffer (cleared, with a depth buffer). Returns the pieces drawn. */
  draw(view: ViewWindow, pieces: readonly Piece[], width: number, height: number): number {
    const p = this.props;
    p.playheadX = view.playheadX;
    p.aspect = width / height;
    return drawPieces(view, pieces, this.pool, p, this.draw_);
  }
}
