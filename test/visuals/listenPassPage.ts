/**
 * Browser side of listenPass.test.ts, bundled by the test with esbuild: a ListenPass on a
 * 200 x 64 canvas, driven from the test through `window.listen`.
 */
import createREGL from 'regl';
import { ListenPass } from '../../visuals/listen/listenPass.js';

const canvas = document.createElement('canvas');
canvas.width = 200;
canvas.height = 64;
document.body.appendChild(canvas);
const regl = createREGL({ canvas, pixelRatio: 1, attributes: { preserveDrawingBuffer: true, antialias: false } });
const pass = new ListenPass(regl, { columns: 256, span: 200 });

(window as unknown as { listen: unknown }).listen = {
  add: (e: { firstColumn: number; count: number; height: number; columns: string }) => pass.add(e),
  /** draws, then returns the canvas as RGBA rows, bottom row first (GL's order) */
  draw: (): number[] => {
    regl.clear({ color: [1, 0, 0, 1] });
    pass.draw();
    return Array.from(regl.read());
  },
  glError: (): number => (regl as unknown as { _gl: WebGLRenderingContext })._gl.getError(),
  /** destroys the pass; returns regl's texture and buffer counts before and after */
  destroy: (): number[] => {
    const before = [regl.stats.textureCount, regl.stats.bufferCount];
    pass.destroy();
    return [...before, regl.stats.textureCount, regl.stats.bufferCount];
  },
};
