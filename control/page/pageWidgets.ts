import { type Parameter, commandFor } from '../protocol/parameters.js';
import { h, setClass, setText } from './dom.js';
import type { PageContext, Widget } from './pageContext.js';
import { currentValue, dangerous, faderStep, formatValue, learnable } from './pageControls.js';
import type { PageModel } from './pageModel.js';

/**
 * The page's controls, one factory per kind of parameter. Every control is labelled with its
 * parameter name (`data-param`), shows the show's value from each state, and has a MIDI learn
 * button unless it takes text.
 */

/** How long after the last move a fader ignores the show's state: its own echo is on the way. */
const HOLD_MS = 400;
/** A fader held without moving for this long follows the show again (a lost pointerup). */
const STUCK_MS = 3000;

/** The MIDI learn button of a control: shows "waiting" until the server says learned or no. */
export function learnButton(ctx: PageContext, parameter: string): Widget {
  const b = h('button', { class: 'learn', type: 'button', title: `MIDI learn: ${parameter}`, 'data-learn': parameter }, 'learn');
  b.addEventListener('click', () => ctx.learn(parameter));
  return {
    element: b,
    update(model) {
      const waiting = model.learning.has(parameter);
      setClass(b, 'waiting', waiting);
      setText(b, waiting ? 'waiting…' : 'learn');
    },
  };
}

/** A labelled row: name, value readout, the control itself, the learn button. */
function row(ctx: PageContext, p: Parameter, label: string, control: HTMLElement, value: HTMLElement): { element: HTMLElement; learn: Widget | null } {
  const learn = learnable(p) ? learnButton(ctx, p.name) : null;
  const element = h('div', { class: `control ${p.type}`, 'data-param': p.name, title: p.help }, h('div', { class: 'head' }, h('span', { class: 'name' }, label), value, learn?.element), control);
  return { element, learn };
}

/** A fader for a number or whole number. `label` defaults to the parameter name. */
export function fader(ctx: PageContext, p: Parameter, label = p.name): Widget {
  const input = h('input', { type: 'range', min: p.min ?? 0, max: p.max ?? 1, step: faderStep(p), value: typeof p.default === 'number' ? p.default : p.min ?? 0 });
  const value = h('span', { class: 'value' });
  const { element, learn } = row(ctx, p, label, input, value);
  let touchedMs = -Infinity;
  let dragging = false;
  const send = () => {
    touchedMs = ctx.now();
    const v = Number(input.value);
    setText(value, formatValue(p, v));
    ctx.commandCoalesced(p.name, commandFor(p, v), p.name);
  };
  input.addEventListener('pointerdown', () => { dragging = true; });
  const release = () => { dragging = false; touchedMs = ctx.now(); ctx.flush(p.name); };
  input.addEventListener('pointerup', release);
  input.addEventListener('pointercancel', release);
  input.addEventListener('input', send);
  input.addEventListener('change', () => { send(); dragging = false; ctx.flush(p.name); });
  return {
    element,
    update(model) {
      learn?.update(model);
      const v = currentValue(model.state, p.name);
      // a finger resting on the fader holds it; a release the browser never reported does not, for long
      const held = ctx.now() - touchedMs < (dragging ? STUCK_MS : HOLD_MS);
      if (held) return;
      setText(value, formatValue(p, v));
      if (typeof v === 'number' && Number(input.value) !== v) input.value = String(v);
      setClass(element, 'unset', v === null);
    },
  };
}

/** An on/off button for a boolean (freeze): pressed shows on. */
export function toggle(ctx: PageContext, p: Parameter, label = p.name): Widget {
  const button = h('button', { type: 'button', class: 'toggle', 'aria-pressed': 'false' }, label);
  const value = h('span', { class: 'value' });
  const { element, learn } = row(ctx, p, label, button, value);
  button.addEventListener('click', () => {
    const on = currentValue(ctx.model().state, p.name) === true;
    ctx.command(commandFor(p, !on), p.name);
  });
  return {
    element,
    update(model) {
      learn?.update(model);
      const on = currentValue(model.state, p.name) === true;
      button.setAttribute('aria-pressed', String(on));
      setText(value, formatValue(p, on));
    },
  };
}

/** A button for an action without a value (one added to the table); a dangerous one needs a double tap. */
export function trigger(ctx: PageContext, p: Parameter, label = p.name): Widget & { tick(nowMs: number): void } {
  const button = h('button', { type: 'button', class: dangerous(p) ? 'trigger danger' : 'trigger' }, label);
  const { element, learn } = row(ctx, p, label, button, h('span', { class: 'value' }));
  const tick = (nowMs: number) => setClass(button, 'armed', ctx.doubleTap.armed(nowMs) === p.name);
  button.addEventListener('click', () => {
    if (!dangerous(p) || ctx.doubleTap.tap(p.name, ctx.now()) === 'fire') ctx.command(commandFor(p), p.name);
    tick(ctx.now());
  });
  return { element, tick, update: (model) => learn?.update(model) };
}

/**
 * One button per value of an enum; the show's value is lit. Dangerous ones (the source switch)
 * need a double tap: the first arms (shown), the second within 600 ms sends.
 */
export function choice(ctx: PageContext, p: Parameter, label = p.name): Widget & { tick(nowMs: number): void } {
  const needsDoubleTap = dangerous(p);
  const buttons = (p.values ?? []).map((v) => {
    const b = h('button', { type: 'button', 'data-value': v, class: needsDoubleTap ? 'danger' : undefined }, v);
    b.addEventListener('click', () => {
      const key = `${p.name}:${v}`;
      if (needsDoubleTap && ctx.doubleTap.tap(key, ctx.now()) === 'armed') {
        tick(ctx.now());
        return;
      }
      ctx.command(commandFor(p, v), p.name);
      tick(ctx.now());
    });
    return b;
  });
  const value = h('span', { class: 'value' });
  const { element, learn } = row(ctx, p, label, h('div', { class: 'choices' }, ...buttons), value);
  const tick = (nowMs: number) => {
    if (!needsDoubleTap) return;
    const armed = ctx.doubleTap.armed(nowMs);
    for (const b of buttons) setClass(b, 'armed', armed === `${p.name}:${b.dataset.value}`);
  };
  return {
    element,
    tick,
    update(model: PageModel) {
      learn?.update(model);
      const v = currentValue(model.state, p.name);
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.value === v));
      setText(value, formatValue(p, v));
    },
  };
}

/** A text field with a send button (Enter sends too), for text parameters without a panel of their own. */
export function textField(ctx: PageContext, p: Parameter, label = p.name): Widget {
  const input = h('input', { type: 'text', maxlength: p.maxLength, enterkeyhint: 'send', placeholder: p.help });
  const button = h('button', { type: 'button', class: 'send' }, 'send');
  const value = h('span', { class: 'value' });
  const { element } = row(ctx, p, label, h('div', { class: 'line' }, input, button), value);
  const send = () => {
    if (input.value.trim() === '') return;
    ctx.command(commandFor(p, input.value), p.name);
  };
  button.addEventListener('click', send);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') send(); });
  return {
    element,
    update(model) {
      setText(value, formatValue(p, currentValue(model.state, p.name)));
    },
  };
}

/** The control the table's type calls for: how a newly added parameter gets onto the page. */
export function controlFor(ctx: PageContext, p: Parameter): Widget & { tick?(nowMs: number): void } {
  switch (p.type) {
    case 'number': case 'integer': return fader(ctx, p);
    case 'boolean': return toggle(ctx, p);
    case 'trigger': return trigger(ctx, p);
    case 'enum': return choice(ctx, p);
    case 'string': return textField(ctx, p);
  }
}
