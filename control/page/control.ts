import { beatAt, predictFrame, steadyFrame } from './beatClock.js';
import { h } from './dom.js';
import { DoubleTap } from './doubleTap.js';
import type { PageContext, Widget } from './pageContext.js';
import { type PageAction, type PageModel, initialPageModel, reducePage } from './pageModel.js';
import { PageSocket } from './pageSocket.js';
import { pageToken, socketUrl, withToken } from './pageUrls.js';
import { promptSection } from './promptSection.js';
import { SendCoalescer } from './sendCoalescer.js';
import { generatedSection, generationWidgets, group, healthSection, instantWidgets, nowPlayingSection, statusBar, toastList } from './showSections.js';
import { tempoSection } from './tempoSection.js';

/**
 * The performer's control page (served at `/` by the show's web port; docs/control.md "The
 * control page"). Wiring only: the model and its reducer are in pageModel.ts, the sections in
 * their own files. Messages update the model at once; the DOM is refreshed at most once per
 * animation frame, so a burst of messages after a busy moment costs one render, not one each.
 */

/** Fader moves reach the show at most this often per control. */
const SEND_INTERVAL_MS = 40;
/** Health colours fade from trouble to warning with time, not only with messages. */
const SLOW_REFRESH_MS = 500;

let model = initialPageModel();
let dirty = true;
let renderQueued = false;
const token = pageToken(location.search);
const now = () => performance.now();

function dispatch(action: PageAction): void {
  let next: PageModel;
  try {
    next = reducePage(model, action);
  } catch {
    return; // a message the page cannot read leaves the page as it was (the server is newer, or broken)
  }
  if (next === model) return;
  model = next;
  dirty = true;
  queueRender();
}

const socket = new PageSocket({
  url: socketUrl(location.protocol, location.host, token),
  onMessage: (message) => dispatch({ type: 'server', message, nowMs: now() }),
  onStatus: (status) => dispatch({ type: 'connection', status }),
});

let nextId = 1;
function send(command: Record<string, unknown>, label: string): void {
  const id = `c${nextId++}`;
  if (socket.send({ type: 'command', id, command })) dispatch({ type: 'sent', id, request: { kind: 'command', label } });
  else dispatch({ type: 'notice', kind: 'error', text: `not connected: ${label} not sent`, nowMs: now() });
}

const coalescer = new SendCoalescer({
  intervalMs: SEND_INTERVAL_MS,
  now,
  schedule: (fn, ms) => setTimeout(fn, ms),
  send: (_key, value) => {
    const { command, label } = value as { command: Record<string, unknown>; label: string };
    send(command, label);
  },
});

const ctx: PageContext = {
  model: () => model,
  command: send,
  commandCoalesced: (key, command, label) => coalescer.push(key, { command, label }),
  flush: (key) => coalescer.flush(key),
  learn(parameter) {
    if (model.learning.has(parameter)) {
      socket.send({ type: 'learn-cancel' });
      dispatch({ type: 'learn-cancelled', parameter });
      return;
    }
    const id = `l${nextId++}`;
    if (socket.send({ type: 'learn', id, parameter })) dispatch({ type: 'sent', id, request: { kind: 'learn', label: `learn ${parameter}`, parameter } });
    else dispatch({ type: 'notice', kind: 'error', text: 'not connected: learn not sent', nowMs: now() });
  },
  notice: (kind, text) => dispatch({ type: 'notice', kind, text, nowMs: now() }),
  doubleTap: new DoubleTap(),
  now,
  url: (path) => withToken(path, token),
};

const status = statusBar();
const nowPlaying = nowPlayingSection(ctx);
const tempo = tempoSection(ctx);
const prompts = promptSection(ctx, storage());
const generation = generationWidgets(ctx);
const more = generatedSection(ctx);
const health = healthSection(ctx);
const toasts = toastList();
const watching: Widget[] = [nowPlaying, health];
const steering: Widget[] = [tempo, prompts, group('sound', 'sound', instantWidgets(ctx)), group('generation', 'generation', generation.widgets), more];
const sections = [...watching, ...steering];
// a view-only page keeps everything visible and nothing that steers pressable: a disabled
// fieldset around each steering section does it (the preview stays available to watchers)
const fieldsets = steering.map((s) => h('fieldset', { class: 'controls' }, s.element));
document.body.append(status.element, h('div', { class: 'grid' }, ...watching.map((s) => s.element), ...fieldsets), toasts.element);

function render(): void {
  renderQueued = false;
  if (dirty) {
    dirty = false;
    status.update(model);
    for (const f of fieldsets) f.disabled = model.role === 'view';
    for (const s of sections) s.update(model);
    toasts.update(model);
  }
  animate();
}

/** What moves between messages: the beat light, the playhead, armed buttons, the up-next slot. */
let shownFrame: number | null = null;
function animate(): void {
  const t = now();
  shownFrame = model.clock === null ? null : steadyFrame(predictFrame(model.clock, t), shownFrame, model.clock.sampleRate);
  const frame = shownFrame;
  const state = model.state;
  const position = state === null || frame === null || model.clock === null ? null : beatAt(state.transport, state.frame, frame, model.clock.sampleRate);
  tempo.tick(position, state?.transport.beatsPerBar ?? 4);
  status.tick(position);
  prompts.tick(position?.bar ?? null);
  nowPlaying.tick(frame);
  generation.source.tick(t);
  more.tick(t);
}

function queueRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { if (renderQueued) render(); });
  // a page the browser does not draw (a background tab) still keeps its model and DOM current
  setTimeout(() => { if (renderQueued) render(); }, 250);
}

// the animation runs every frame the browser draws; a hidden page draws nothing and costs nothing
const frameLoop = () => {
  animate();
  requestAnimationFrame(frameLoop);
};
requestAnimationFrame(frameLoop);
setInterval(() => {
  dispatch({ type: 'tick', nowMs: now() });
  dirty = true;
  queueRender();
}, SLOW_REFRESH_MS);

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage forbidden (a privacy mode): no history across reloads
  }
}

// a page restored from the browser's back-forward cache has a dead socket and a stale model:
// start over rather than show a show that moved on
addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });
addEventListener('pagehide', () => socket.dispose());
