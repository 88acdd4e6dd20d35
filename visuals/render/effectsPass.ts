import type REGL from 'regl';
import { composeEffects } from '../effects/composeEffects.js';
import type { Effect } from '../effects/registry.js';
import { fullScreen } from './fullScreen.js';

/**
 * The effects pass: one fragment shader composed from the effect registry, reading the scene
 * and the last frame shown (feedback trails), writing into one of two framebuffers in turn
 * (ping-pong: the one written is never the one read). Compiling a new chain that fails keeps
 * the last good program and reports why: show time never throws.
 */
export class EffectsPass {
  private command: REGL.DrawCommand | undefined;
  private inputs: readonly string[] = [];
  private readonly fbos: [REGL.Framebuffer2D, REGL.Framebuffer2D];
  private tick = 0;
  private readonly uniformValues: Record<string, unknown> = {};

  constructor(private readonly regl: REGL.Regl, private readonly scene: REGL.Framebuffer2D) {
    this.fbos = [regl.framebuffer({ width: 1, height: 1, depthStencil: false }), regl.framebuffer({ width: 1, height: 1, depthStencil: false })];
  }

  /**
   * Compiles the chain; on failure the previous program stays and the reason comes back (null
   * when it compiled). Compiling is checked with a draw into a framebuffer nobody shows.
   */
  setEffects(effects: readonly Effect[]): string | null {
    const { frag, inputs } = composeEffects(effects);
    const regl = this.regl;
    const uniforms: Record<string, unknown> = {
      u_scene: this.scene, u_previous: regl.prop<Record<string, unknown>, string>('previous'),
      u_beat: regl.prop<Record<string, unknown>, string>('beat'), u_focus: regl.prop<Record<string, unknown>, string>('focus'),
      u_resolution: regl.prop<Record<string, unknown>, string>('resolution'),
    };
    for (const name of inputs) uniforms[name] = regl.prop<Record<string, unknown>, string>(name);
    // the driver's own log names the line and the identifier; regl's error only says "unknown"
    const log = compileLog((regl as unknown as { _gl: WebGLRenderingContext })._gl, frag);
    if (log !== null) return log;
    let candidate: REGL.DrawCommand | undefined;
    try {
      candidate = regl({ ...fullScreen(regl), frag, uniforms: uniforms as never });
      const probe = { ...this.uniformValues, previous: this.fbos[0], beat: 0, focus: [0.5, 0.5], resolution: [1, 1] } as Record<string, unknown>;
      for (const name of inputs) probe[name] ??= 0;
      this.fbos[1].use(() => candidate!(probe));
    } catch (e) {
      return firstLine((e as Error).message);
    }
    this.command = candidate;
    this.inputs = inputs;
    return null;
  }

  /** The framebuffer holding the last frame drawn. */
  get output(): REGL.Framebuffer2D {
    return this.fbos[this.tick % 2]!;
  }

  resize(width: number, height: number): void {
    for (const f of this.fbos) f.resize(width, height);
  }

  /** Draws the scene through the effects into the next framebuffer. */
  draw(values: Readonly<Record<string, number>>, beat: number, focus: readonly [number, number], width: number, height: number): void {
    if (!this.command) return;
    const previous = this.fbos[this.tick % 2]!;
    const next = this.fbos[(this.tick + 1) % 2]!;
    const u = this.uniformValues;
    for (const name of this.inputs) u[name] = values[name] ?? 0;
    u.previous = previous;
    u.beat = beat;
    u.focus = focus;
    u.resolution = [width, height];
    next.use(() => this.command!(u));
    this.tick++;
  }

  dispose(): void {
    for (const f of this.fbos) f.destroy();
  }
}

/** The fragment shader's compile log, or null when it compiles. */
function compileLog(gl: WebGLRenderingContext, source: string): string | null {
  const shader = gl.createShader(gl.FRAGMENT_SHADER);
  if (!shader) return null; // a lost context: regl's own compile reports it
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  const ok = gl.getShaderParameter(shader, gl.COMPILE_STATUS) as boolean;
  const log = gl.getShaderInfoLog(shader) ?? '';
  gl.deleteShader(shader);
  return ok ? null : firstLine(log || 'the fragment shader does not compile');
}

function firstLine(message: string): string {
  // regl's compile errors carry the whole annotated source after the first lines
  return message.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^[-=]+$/.test(l)).slice(0, 2).join(': ').slice(0, 300);
}
