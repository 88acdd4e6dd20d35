import type REGL from 'regl';
import type { ListenEvent } from '../../control/protocol/state.js';
import { fullScreen } from '../render/fullScreen.js';
import { ListenStrip } from './listenStrip.js';

/**
 * The strip of columns heard, newest at the right edge. u_start is the texture coordinate of the
 * leftmost column shown; fract() wraps the ring, so the texture needs no REPEAT (which WebGL 1
 * refuses for a width that is not a power of two). Strip rows run top to bottom, v_uv.y bottom
 * to top. Grey like a sound-picture; the effects pass colours it like any other picture.
 */
const FRAG = `
precision highp float;
varying vec2 v_uv;
uniform sampler2D u_strip;
uniform float u_start, u_spanU, u_columnU;
void main() {
  float u = fract(u_start + v_uv.x * u_spanU);
  // the centre of the column, so nearest sampling never reads the neighbour across the ring's seam
  u = (floor(u / u_columnU) + 0.5) * u_columnU;
  float level = texture2D(u_strip, vec2(u, 1.0 - v_uv.y)).r;
  gl_FragColor = vec4(vec3(level), 1.0);
}`;

export interface ListenPassOptions {
  /** columns kept (default 1024: 10.24 s at 100 columns/s) */
  readonly columns?: number;
  /** columns across the screen (default 800: 8 s, the timeline's default span) */
  readonly span?: number;
}

/**
 * The listen look's pass (docs/visuals.md "Listen mode"): the music coming in, drawn full-frame as
 * a strip scrolling to the left with the newest column at the right edge, in the sound-pictures'
 * own format. `add()` each `listen` event as it arrives (only the changed columns are uploaded),
 * `draw()` every frame, into whatever framebuffer is bound (the renderer's scene framebuffer, so
 * the effects apply).
 *
 * @example
 * const listen = new ListenPass(regl);
 * socket.on('event', (e) => { if (e.type === 'listen') listen.add(e); });
 * regl.frame(() => listen.draw());
 */
export class ListenPass {
  readonly strip: ListenStrip;
  private readonly texture: REGL.Texture2D;
  private readonly command: REGL.DrawCommand;
  private readonly props = { start: 0, spanU: 1, columnU: 1 };
  private span: number;

  constructor(private readonly regl: REGL.Regl, options: ListenPassOptions = {}) {
    this.strip = new ListenStrip(options.columns ?? 1024, 512);
    this.span = Math.min(options.span ?? 800, this.strip.width);
    this.texture = regl.texture({
      width: this.strip.width, height: this.strip.height, data: this.strip.data, format: 'luminance', type: 'uint8',
      min: 'nearest', mag: 'nearest', wrapS: 'clamp', wrapT: 'clamp',
    });
    const prop = (name: string) => regl.prop<Record<string, number>, string>(name);
    this.command = regl({
      ...fullScreen(regl), frag: FRAG,
      uniforms: { u_strip: this.texture, u_start: prop('start'), u_spanU: prop('spanU'), u_columnU: prop('columnU') },
    });
  }

  /** Columns across the screen, 1 to the strip's width. */
  setSpan(columns: number): void {
    this.span = Math.max(1, Math.min(this.strip.width, Math.round(columns)));
  }

  /** Adds a `listen` event's columns and uploads what changed. Never throws (show time). */
  add(event: Pick<ListenEvent, 'firstColumn' | 'count' | 'height' | 'columns'>): void {
    for (const p of this.strip.add(event)) this.texture.subimage({ width: p.width, height: p.height, data: p.data }, p.x, 0);
  }

  draw(): void {
    const w = this.strip.width;
    this.props.spanU = this.span / w;
    this.props.columnU = 1 / w;
    this.props.start = this.strip.head - this.props.spanU + 1;
    this.command(this.props);
  }

  destroy(): void {
    this.texture.destroy();
  }
}
