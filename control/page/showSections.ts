import { parameter } from '../protocol/parameters.js';
import { type BeatPosition, playheadPosition } from './beatClock.js';
import { h, setClass, setText } from './dom.js';
import { healthLevels } from './healthLevels.js';
import type { PageContext, Widget } from './pageContext.js';
import { generatedParameters, randomSeed, walkSeed } from './pageControls.js';
import { type PageModel, nowPlayingView } from './pageModel.js';
import { choice, controlFor, fader, learnButton, toggle } from './pageWidgets.js';

/**
 * Connection and role, always at the top: a page that lost the show must say so at a glance. The
 * tempo and a beat dot ride along, for a phone scrolled down to the prompts.
 */
export function statusBar(): Widget & { tick(position: BeatPosition | null): void } {
  const status = h('span', { class: 'status', 'data-readout': 'connection' });
  const role = h('span', { class: 'role', 'data-readout': 'role' });
  const bpm = h('span', { class: 'mini-bpm' });
  const dot = h('span', { class: 'dot mini' });
  return {
    element: h('header', {}, h('h1', {}, 'Synesthete'), dot, bpm, role, status),
    tick(position) {
      setClass(dot, 'on', position !== null && position.phase < 0.2);
      setClass(dot, 'down', position?.beat === 1);
    },
    update(model) {
      setText(bpm, model.state === null ? '' : `${model.state.transport.bpm.toFixed(1)}`);
      const text = model.connection === 'open' ? 'live' : model.connection === 'connecting' ? 'connecting…' : 'reconnecting…';
      setText(status, text);
      setClass(status, 'bad', model.connection !== 'open');
      setText(role, model.role === 'view' ? 'view only' : '');
    },
  };
}

/** The picture playing, its playhead, and what it is. */
export function nowPlayingSection(ctx: PageContext): Widget & { tick(frame: number | null): void } {
  const img = h('img', { alt: 'the sound-picture playing', 'data-readout': 'picture' });
  const playhead = h('div', { class: 'playhead', 'data-readout': 'playhead' });
  const description = h('p', { class: 'description', 'data-readout': 'description' }, 'nothing playing yet');
  let shownUrl = '';
  img.addEventListener('error', () => setClass(img, 'missing', true));
  img.addEventListener('load', () => setClass(img, 'missing', false));
  // the projector's preview costs a WebGL context (a phone's battery): only when asked for
  const previewBox = h('div', { class: 'preview' });
  const previewButton = h('button', { type: 'button', class: 'small toggle', 'aria-pressed': 'false', 'data-action': 'preview' }, 'projector preview');
  previewButton.addEventListener('click', () => {
    const on = previewBox.childElementCount === 0;
    previewBox.replaceChildren(...(on ? [h('iframe', { src: ctx.url('/preview'), title: 'projector preview', 'data-readout': 'preview' })] : []));
    previewButton.setAttribute('aria-pressed', String(on));
  });
  return {
    element: h('section', { class: 'now-playing' }, h('h2', {}, 'now playing'), h('div', { class: 'picture' }, img, playhead), description, previewButton, previewBox),
    update(model) {
      const np = nowPlayingView(model);
      setText(description, np === null ? 'nothing playing yet' : `#${np.segmentId} ${np.description}`);
      const url = np === null ? '' : ctx.url(np.pictureUrl);
      if (url !== shownUrl) {
        shownUrl = url;
        if (url === '') img.removeAttribute('src');
        else img.src = url;
      }
    },
    tick(frame) {
      const np = nowPlayingView(ctx.model());
      const visible = np !== null && np.frames !== null && frame !== null;
      setClass(playhead, 'hidden', !visible);
      if (!visible) return;
      const pos = playheadPosition(np.startFrame, np.frames!, frame);
      playhead.style.left = `${(pos * 100).toFixed(2)}%`;
      playhead.dataset.position = pos.toFixed(3);
    },
  };
}

/** Seconds ahead, render time and the trouble counters, coloured when bad. */
export function healthSection(ctx: PageContext): Widget {
  const list = h('div', { class: 'health-items' });
  const cells = new Map<string, { box: HTMLElement; value: HTMLElement }>();
  const refresh = (model: PageModel) => {
    const state = model.state;
    if (state === null) return;
    const np = nowPlayingView(model);
    const sampleRate = model.clock?.sampleRate ?? null;
    const segmentSeconds = np?.frames === null || np === null || sampleRate === null ? null : np.frames / sampleRate;
    for (const item of healthLevels(state.health, model.troubleMs, segmentSeconds, ctx.now())) {
      let cell = cells.get(item.key);
      if (cell === undefined) {
        const value = h('span', { class: 'value' });
        cell = { box: h('div', { class: 'health-item', 'data-health': item.key }, h('span', { class: 'name' }, item.label), value), value };
        cells.set(item.key, cell);
        list.append(cell.box);
      }
      setText(cell.value, item.text);
      for (const level of ['ok', 'warn', 'bad']) setClass(cell.box, level, item.level === level);
    }
  };
  return { element: h('section', { class: 'health' }, h('h2', {}, 'health'), list), update: refresh };
}

/** Seed: set a number, draw a random one, or walk (+1 per press). */
export function seedWidget(ctx: PageContext): Widget {
  const p = parameter('seed');
  const input = h('input', { type: 'number', min: p.min, max: p.max, step: 1, inputmode: 'numeric', 'aria-label': 'seed' });
  const current = h('span', { class: 'value' });
  const learn = learnButton(ctx, 'seed');
  const send = (value: number) => ctx.command({ type: 'seed', value }, 'seed');
  const button = (label: string, action: string, onClick: () => void) => {
    const b = h('button', { type: 'button', 'data-action': action }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  const seedNow = () => ctx.model().state?.seed ?? 0;
  return {
    element: h(
      'div',
      { class: 'control seed', 'data-param': 'seed', title: p.help },
      h('div', { class: 'head' }, h('span', { class: 'name' }, 'seed'), current, learn.element),
      h('div', { class: 'line' }, input, button('set', 'seed-set', () => { if (input.value !== '') send(Number(input.value)); }), button('random', 'seed-random', () => send(randomSeed(p))), button('walk +1', 'seed-walk', () => send(walkSeed(seedNow(), p)))),
    ),
    update(model) {
      learn.update(model);
      setText(current, model.state === null ? '–' : String(model.state.seed));
    },
  };
}

/** One button per name the show offers (presets, pictures); the one in use is lit. */
function namesWidget(ctx: PageContext, o: {
  readonly param: string; readonly title: string; readonly cls: string; readonly none: string;
  readonly names: (model: PageModel) => readonly string[];
  readonly current: (model: PageModel) => string | undefined;
  readonly command: (name: string) => Record<string, unknown>;
}): Widget {
  const box = h('div', { class: 'choices' });
  let shown: readonly string[] | null = null;
  return {
    element: h('div', { class: `control ${o.cls}`, 'data-param': o.param }, h('div', { class: 'head' }, h('span', { class: 'name' }, o.title)), box),
    update(model) {
      const names = o.names(model);
      if (names !== shown) {
        shown = names;
        box.replaceChildren(
          ...(names.length === 0
            ? [h('span', { class: 'value' }, o.none)]
            : names.map((name) => {
                const b = h('button', { type: 'button', 'data-value': name }, name);
                b.addEventListener('click', () => ctx.command(o.command(name), o.param));
                return b;
              })),
        );
      }
      const current = o.current(model);
      for (const b of box.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.value === current));
    },
  };
}

/** One button per preset the show offers (hello.presets); the one in use is lit. */
export function presetsWidget(ctx: PageContext): Widget {
  return namesWidget(ctx, {
    param: 'preset', title: 'presets', cls: 'presets', none: 'none offered',
    names: (m) => m.presets, current: (m) => m.state?.preset ?? undefined, command: (name) => ({ type: 'preset', name }),
  });
}

/** One button per picture in the show's --pictures folder (hello.pictures): imprinted on the beat. */
export function picturesWidget(ctx: PageContext): Widget {
  return namesWidget(ctx, {
    param: 'imprint.image', title: 'imprint pictures', cls: 'pictures', none: 'none in the show\'s pictures folder',
    names: (m) => m.pictures,
    // the show keeps the picture's path: the name is its last part
    current: (m) => m.state?.imprint?.image?.split(/[\\/]/).pop(),
    command: (name) => ({ type: 'imprint', image: name }),
  });
}

/** A titled group of widgets. */
export function group(title: string, cls: string, widgets: readonly Widget[]): Widget {
  return {
    element: h('section', { class: cls }, h('h2', {}, title), ...widgets.map((w) => w.element)),
    update: (model) => { for (const w of widgets) w.update(model); },
  };
}

/** The sound: gain, the one-knob filter (with a way back to bypass), freeze. */
export function instantWidgets(ctx: PageContext): Widget[] {
  const filter = fader(ctx, parameter('filter'), 'filter');
  const zero = h('button', { type: 'button', class: 'small', 'data-action': 'filter-bypass' }, 'bypass');
  zero.addEventListener('click', () => ctx.command({ type: 'filter', value: 0 }, 'filter'));
  filter.element.append(zero);
  return [fader(ctx, parameter('gain'), 'gain'), filter, toggle(ctx, parameter('freeze'), 'freeze')];
}

/** The generation: seed, mix and guidance, presets, pictures to imprint, and the source switch (double tap). */
export function generationWidgets(ctx: PageContext): { widgets: Widget[]; source: ReturnType<typeof choice> } {
  const source = choice(ctx, parameter('source'), 'source (double tap)');
  return {
    widgets: [seedWidget(ctx), fader(ctx, parameter('mix'), 'mix'), fader(ctx, parameter('guidance.audio'), 'guidance audio'), fader(ctx, parameter('guidance.picture'), 'guidance picture'), presetsWidget(ctx), picturesWidget(ctx), source],
    source,
  };
}

/** Every parameter without a hand-made control, grouped by kind, from the parameter table. */
export function generatedSection(ctx: PageContext): Widget & { tick(nowMs: number): void } {
  const groups = [...generatedParameters()].map(([kind, params]) => ({ kind, widgets: params.map((p) => controlFor(ctx, p)) }));
  const all = groups.flatMap((g) => g.widgets);
  return {
    element: h('section', { class: 'more' }, h('h2', {}, 'more'), ...groups.map((g) => h('div', { class: 'kind', 'data-kind': g.kind }, h('h3', {}, g.kind), ...g.widgets.map((w) => w.element)))),
    update: (model) => { for (const w of all) w.update(model); },
    tick: (nowMs) => { for (const w of all) w.tick?.(nowMs); },
  };
}

/** Refusals and notices, newest last, each for a few seconds. */
export function toastList(): Widget {
  const box = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
  let shown: PageModel['toasts'] | null = null;
  return {
    element: box,
    update(model) {
      if (model.toasts === shown) return;
      shown = model.toasts;
      box.replaceChildren(...model.toasts.map((t) => h('div', { class: `toast ${t.kind}`, 'data-toast': t.kind }, t.text)));
    },
  };
}
