import createREGL from 'regl';
import type REGL from 'regl';
import type { VisualState } from '../../control/protocol/visualState.js';
import { effectUniforms } from '../effects/effectUniforms.js';
import { EFFECTS, type Effect } from '../effects/registry.js';
import type { BeatGrid } from '../sync/beatGrid.js';
import { type Piece, type Timeline, columnAt } from '../sync/timeline.js';
import type { ListenEvent } from '../../control/protocol/state.js';
import { ListenPass } from '../listen/listenPass.js';
import { EffectsPass } from './effectsPass.js';
import { fullScreen } from './fullScreen.js';
import { ScenePass } from './scenePass.js';
import { TerrainPass } from './terrainPass.js';
import { type PictureSource, TexturePool } from './texturePool.js';
import { type ViewWindow, frameWindow, timelineWindow } from './viewWindow.js';

export interface RendererOptions {
  readonly canvas: HTMLCanvasElement;
  /** device pixels per CSS pixel (default: the display's; tests and the preview use less) */
  readonly pixelRatio?: number;
  /** segment pictures kept on the GPU (default 8) */
  readonly poolSize?: number;
  /** a show-time problem (a shader that failed, a lost context): reported, the show goes on */
  readonly onError?: (message: string) => void;
}

/** One video frame to draw: the frame heard at its vsync and everything that decides the picture. */
export interface FrameInput {
  readonly frame: number;
  readonly sampleRate: number;
  readonly timeline: Timeline;
  readonly grid: BeatGrid | null;
  readonly visuals: VisualState;
}

/** What a frame showed: the segment and column under the playhead (null: nothing to show yet). */
export interface FrameResult {
  readonly segmentId: number | null;
  readonly column: number | null;
  readonly view: ViewWindow | null;
}

const COPY_FRAG = `
precision highp float;
varying vec2 v_uv;
uniform sampler2D u_source;
void main() { gl_FragColor = texture2D(u_source, v_uv); }`;

/**
 * The projector's renderer (regl, WebGL 1): scene pass (the pictures along the timeline, bar
 * lines, playhead) into a framebuffer, effects pass (the registry's one shader, feedback by
 * ping-pong) into another, then a copy to the screen. Blackout skips all of it and clears to
 * black, so it holds whatever a shader does. Nothing here throws at show time: problems go to
 * `onError`, and the last good state stays.
 */
export class Renderer {
  readonly regl: REGL.Regl;
  private readonly canvas: HTMLCanvasElement;
  private readonly pixelRatio: number;
  private readonly pool: TexturePool;
  private readonly scene: REGL.Framebuffer2D;
  private readonly scenePass: ScenePass;
  private readonly terrainPass: TerrainPass;
  /** the listen look: the music coming in (perform --listen) */
  private readonly listenPass: ListenPass;
  private readonly effects: EffectsPass;
  private readonly copy: REGL.DrawCommand;
  private readonly onError: (message: string) => void;
  private readonly reported = new Set<string>();
  private uniforms: Record<string, number> = {};
  private uniformsFor: VisualState | undefined;
  private width = 0;
  private height = 0;

  constructor(options: RendererOptions) {
    this.canvas = options.canvas;
    this.pixelRatio = options.pixelRatio ?? globalThis.devicePixelRatio ?? 1;
    this.onError = options.onError ?? ((m) => console.warn(m));
    this.regl = createREGL({ canvas: this.canvas, pixelRatio: this.pixelRatio, attributes: { antialias: false, alpha: false, depth: false, stencil: false } });
    this.pool = new TexturePool(this.regl, options.poolSize ?? 8);
    // a depth buffer for the terrain look
    this.scene = this.regl.framebuffer({ width: 1, height: 1, depth: true, stencil: false });
    this.scenePass = new ScenePass(this.regl, this.pool);
    this.terrainPass = new TerrainPass(this.regl, this.pool);
    this.listenPass = new ListenPass(this.regl);
    this.effects = new EffectsPass(this.regl, this.scene);
    this.copy = this.regl({ ...fullScreen(this.regl), frag: COPY_FRAG, uniforms: { u_source: this.regl.prop<{ source: REGL.Framebuffer2D }, 'source'>('source') } });
    const failed = this.setEffects(EFFECTS);
    if (failed) throw new Error(`the built-in effects do not compile: ${failed}`);
  }

  /** Uploads a segment's picture (when it is ready, well before it is heard). */
  picture(segmentId: number, source: PictureSource): void {
    try {
      this.pool.add(segmentId, source);
    } catch (e) {
      this.report(`segment ${segmentId}: its picture could not be uploaded (${(e as Error).message})`);
    }
  }

  /** Columns heard in listen mode (a `listen` event): uploaded as they come, shown by the listen look. */
  listen(event: Pick<ListenEvent, 'firstColumn' | 'count' | 'height' | 'columns'>): void {
    try {
      this.listenPass.add(event);
    } catch (e) {
      this.report(`listen: columns could not be uploaded (${(e as Error).message})`);
    }
  }

  /** Drops every picture (a restarted show reuses segment ids). */
  clearPictures(): void {
    this.pool.dispose();
  }

  hasPicture(segmentId: number): boolean {
    return this.pool.get(segmentId) !== undefined;
  }

  /**
   * Recompiles the effects chain. A chain that fails to compile leaves the last good one
   * running; the reason is reported and returned (null: compiled).
   */
  setEffects(effects: readonly Effect[]): string | null {
    const failed = this.effects.setEffects(effects);
    if (failed) this.report(`effects: the new shader does not compile, the last good one stays (${failed})`);
    return failed;
  }

  /** Draws one frame. Never throws. */
  draw(input: FrameInput): FrameResult {
    try {
      return this.drawFrame(input);
    } catch (e) {
      this.report(`a frame could not be drawn (${(e as Error).message.split('\n')[0]})`);
      return { segmentId: null, column: null, view: null };
    }
  }

  private drawFrame(input: FrameInput): FrameResult {
    const regl = this.regl;
    this.resize();
    regl.poll();
    const heard = heardPiece(input.timeline, input.frame);
    if (input.visuals.blackout) {
      regl.clear({ color: [0, 0, 0, 1] });
      return { segmentId: heard?.segmentId ?? null, column: heard ? columnAt(heard, input.frame) : null, view: null };
    }
    const look = input.visuals.look;
    const speed = Number(input.visuals.effects.speed) || 1;
    let view: ViewWindow;
    let pieces: readonly Piece[];
    if (look === 'frame' && heard) {
      view = frameWindow(input.frame, heard);
      pieces = [{ ...heard, startFrame: view.left - 1, endFrame: Infinity, fadeInFrames: 0 }];
    } else {
      view = timelineWindow(input.frame, input.sampleRate, speed);
      pieces = input.timeline.pieces(view.left, view.left + view.across);
    }
    if (this.uniformsFor !== input.visuals) {
      this.uniforms = effectUniforms(input.visuals);
      this.uniformsFor = input.visuals;
    }
    this.scene.use(() => {
      // alpha 0: nothing drawn here (the colour map keeps it black)
      regl.clear({ color: [0, 0, 0, 0], depth: 1 });
      if (look === 'terrain') this.terrainPass.draw(view, pieces, this.width, this.height);
      else if (look === 'listen') this.listenPass.draw();
      else this.scenePass.draw(view, pieces, input.grid, Number(input.visuals.effects.bars) || 0, this.width);
    });
    const beat = input.grid ? input.grid.beatAt(input.frame) : 0;
    this.effects.draw(this.uniforms, beat, [look === 'timeline' ? view.playheadX : 0.5, 0.5], this.width, this.height);
    this.copy({ source: this.effects.output });
    return { segmentId: heard?.segmentId ?? null, column: heard ? columnAt(heard, input.frame) : null, view };
  }

  /** The RGBA of one pixel of the screen (x from the left, y from the top, drawing-buffer pixels), read right after `draw`. */
  read(x: number, y: number): [number, number, number, number] {
    // straight from GL: regl.read insists on preserveDrawingBuffer, which costs every frame a copy
    const gl = (this.regl as unknown as { _gl: WebGLRenderingContext })._gl;
    const pixel = new Uint8Array(4);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.readPixels(x, this.height - 1 - y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    return [pixel[0]!, pixel[1]!, pixel[2]!, pixel[3]!];
  }

  get size(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }

  get pictures(): number {
    return this.pool.count;
  }

  dispose(): void {
    this.pool.dispose();
    this.listenPass.destroy();
    this.effects.dispose();
    this.scene.destroy();
    this.regl.destroy();
  }

  private resize(): void {
    const width = Math.max(1, Math.round(this.canvas.clientWidth * this.pixelRatio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * this.pixelRatio));
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.canvas.width = width;
    this.canvas.height = height;
    this.scene.resize(width, height);
    this.effects.resize(width, height);
  }

  private report(message: string): void {
    if (this.reported.has(message)) return;
    // bounded: messages name segments, and a long show must not grow this without end
    if (this.reported.size >= 100) this.reported.clear();
    this.reported.add(message);
    this.onError(message);
  }
}

/** The piece heard at `frame` (the incoming one during a crossfade). */
function heardPiece(timeline: Timeline, frame: number): Piece | undefined {
  let heard: Piece | undefined;
  for (const p of timeline.pieces(frame, frame)) if (p.startFrame <= frame && frame < p.endFrame) heard = p;
  return heard;
}
