// The projector output (GET /output) and its small preview (GET /preview): a full-window canvas
// drawn by the renderer, fed by the show's WebSocket. See docs/visuals.md.
import { EFFECTS } from '../effects/registry.js';
import { Connection, socketUrl, withToken } from './connection.js';
import { OutputPage } from './outputPage.js';

const preview = location.pathname === '/preview';
document.documentElement.style.cssText = 'margin:0;height:100%;background:#000;overflow:hidden';
document.body.style.cssText = 'margin:0;height:100%;background:#000;overflow:hidden;cursor:none';
const canvas = document.createElement('canvas');
canvas.style.cssText = 'display:block;width:100vw;height:100vh';
document.body.appendChild(canvas);

const params = new URLSearchParams(location.search);
const ratio = Number(params.get('pixelRatio'));
const page = new OutputPage({
  canvas,
  preview,
  trace: params.has('trace'),
  ...(ratio > 0 ? { pixelRatio: ratio } : {}),
  loadPicture: async (url) => {
    const image = new Image();
    image.src = withToken(url, location.search);
    await image.decode();
    return image;
  },
});
const connection = new Connection({
  url: socketUrl(location),
  onMessage: (m) => page.message(m),
  onStatus: (connected) => page.setConnection(connected, connection.opened),
});
page.start();
// the show's health shows how the projector keeps up (the preview is not the projector)
if (!preview) {
  setInterval(() => connection.send({ type: 'output-stats', frames: page.stats.frames, skipped: page.stats.skipped, drawMeanMs: page.stats.drawMeanMs }), 2000);
}

// for tests, benches and a look from the browser's console
Object.assign(window, { synesthete: { page, connection, effects: EFFECTS }, synestheteStats: page.stats });
