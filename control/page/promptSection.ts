import { type ParameterName, commandFor, parameter } from '../protocol/parameters.js';
import { h, setText } from './dom.js';
import type { PageContext, Widget } from './pageContext.js';
import { currentValue } from './pageControls.js';
import { PromptHistory, type TextStore } from './promptHistory.js';
import { type UpNextWhen, upNextDue } from './upNext.js';

/** The texts a performer types: what the music and the picture should be, and imprint words. */
const TARGETS: readonly { name: ParameterName; label: string }[] = [
  { name: 'prompt.audio', label: 'audio prompt' },
  { name: 'prompt.picture', label: 'picture prompt' },
  { name: 'imprint.text', label: 'imprint words' },
];

/**
 * Prompts with their history, and the "up next" slot. Each text is sent whole (never per key),
 * and kept in its history (newest first, across reloads) once sent.
 */
export function promptSection(ctx: PageContext, store: TextStore | null): Widget & { tick(bar: number | null): void } {
  const histories = new Map(TARGETS.map((t) => [t.name, new PromptHistory(t.name, store)]));
  const refreshers: (() => void)[] = [];

  const sendText = (name: ParameterName, text: string): boolean => {
    if (text.trim() === '') return false;
    ctx.command(commandFor(parameter(name), text), name);
    histories.get(name)!.add(text);
    for (const r of refreshers) r();
    return true;
  };

  const rows = TARGETS.map(({ name, label }) => {
    const input = h('textarea', { rows: 2, maxlength: parameter(name).maxLength, placeholder: parameter(name).help, enterkeyhint: 'send' });
    const history = historySelect(histories.get(name)!, (text) => { input.value = text; });
    refreshers.push(history.refresh);
    const send = h('button', { type: 'button', class: 'send' }, 'send');
    send.addEventListener('click', () => sendText(name, input.value));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        sendText(name, input.value);
      }
    });
    const current = h('span', { class: 'value' });
    const element = h('div', { class: 'control prompt', 'data-param': name }, h('div', { class: 'head' }, h('span', { class: 'name' }, label), current), input, h('div', { class: 'line' }, history.element, send));
    return { element, update: () => setText(current, String(currentValue(ctx.model().state, name) ?? '–')) };
  });

  // up next: typed ahead, sent by a press or by itself on the next bar line
  const nextText = h('textarea', { rows: 2, placeholder: 'the next prompt, ready to go' });
  const nextTarget = h('select', { 'aria-label': 'up next for' }, ...TARGETS.map((t) => h('option', { value: t.name }, t.label)));
  const go = h('button', { type: 'button', class: 'send', 'data-action': 'up-next-go' }, 'go');
  const onBar = h('button', { type: 'button', class: 'toggle', 'aria-pressed': 'false', 'data-action': 'up-next-bar' }, 'on next bar');
  const when = h('span', { class: 'value' });
  let armedBar: number | null = null;
  let mode: UpNextWhen = 'press';
  let lastBar: number | null = null;
  const fire = () => {
    if (sendText(nextTarget.value as ParameterName, nextText.value)) nextText.value = '';
    armedBar = null;
    onBar.setAttribute('aria-pressed', 'false');
    mode = 'press';
    setText(when, '');
  };
  go.addEventListener('click', fire);
  onBar.addEventListener('click', () => {
    mode = mode === 'bar' ? 'press' : 'bar';
    armedBar = mode === 'bar' ? lastBar : null;
    onBar.setAttribute('aria-pressed', String(mode === 'bar'));
    setText(when, mode === 'bar' ? (lastBar === null ? 'at the next bar' : `at bar ${lastBar + 1}`) : '');
  });
  const upNext = h('div', { class: 'control prompt up-next', 'data-param': 'up-next' }, h('div', { class: 'head' }, h('span', { class: 'name' }, 'up next'), when), nextText, h('div', { class: 'line' }, nextTarget, onBar, go));

  return {
    element: h('section', { class: 'prompts' }, h('h2', {}, 'prompts'), ...rows.map((r) => r.element), upNext),
    update: () => { for (const r of rows) r.update(); },
    tick(bar) {
      if (bar === null) return;
      if (mode === 'bar' && armedBar === null) armedBar = bar; // armed before the first clock
      if (mode === 'bar' && upNextDue(armedBar, bar)) fire();
      lastBar = bar;
    },
  };
}

/** The history as a drop-down: picking one puts it back in the field (to edit or send again). */
function historySelect(history: PromptHistory, pick: (text: string) => void): { element: HTMLSelectElement; refresh(): void } {
  const select = h('select', { class: 'history', 'aria-label': 'history' });
  const refresh = () => {
    select.replaceChildren(h('option', { value: '' }, `history (${history.list().length})`), ...history.list().map((t) => h('option', { value: t }, t)));
  };
  select.addEventListener('change', () => {
    if (select.value !== '') pick(select.value);
    select.value = '';
  });
  refresh();
  return { element: select, refresh };
}
