import { parameter } from '../protocol/parameters.js';
import type { BeatPosition } from './beatClock.js';
import { h, setClass, setText } from './dom.js';
import type { PageContext, Widget } from './pageContext.js';
import { NUDGE_STEP_BEATS, scaledTempo } from './pageControls.js';
import { choice, fader, learnButton } from './pageWidgets.js';

/** The beat light flashes for this part of each beat. */
const FLASH = 0.2;

/**
 * Tempo: the readout and beat light (moved every animation frame from the predicted position),
 * tap, resync, nudge, x2 and /2, a tempo fader and the quantize choice.
 */
export function tempoSection(ctx: PageContext): Widget & { tick(position: BeatPosition | null, beatsPerBar: number): void } {
  const tempo = parameter('tempo');
  const bpm = h('span', { class: 'bpm', 'data-readout': 'tempo' }, '–');
  const source = h('span', { class: 'clock-source' });
  const where = h('span', { class: 'where', 'data-readout': 'position' });
  const dots = h('div', { class: 'beats', 'data-readout': 'beat-light' });

  const button = (label: string, action: string, onClick: () => void, cls = '') => {
    const b = h('button', { type: 'button', 'data-action': action, class: cls }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  const bpmNow = () => ctx.model().state?.transport.bpm ?? null;
  const scale = (factor: number) => () => {
    const now = bpmNow();
    const next = now === null ? null : scaledTempo(now, factor, tempo);
    if (next === null) ctx.notice('error', `tempo: ${factor > 1 ? 'x2' : '/2'} would leave ${tempo.min}–${tempo.max} BPM`);
    else ctx.command({ type: 'tempo', bpm: next }, 'tempo');
  };
  const learns = ['tap', 'resync', 'nudge'].map((p) => learnButton(ctx, p));
  const pads = h(
    'div',
    { class: 'pads' },
    h('div', { class: 'pad' }, button('tap', 'tap', () => ctx.command({ type: 'tap' }, 'tap'), 'big'), learns[0]!.element),
    h('div', { class: 'pad' }, button('resync', 'resync', () => ctx.command({ type: 'resync' }, 'resync')), learns[1]!.element),
    h('div', { class: 'pad' }, button('nudge −', 'nudge-back', () => ctx.command({ type: 'nudge', beats: -NUDGE_STEP_BEATS }, 'nudge')), button('nudge +', 'nudge-ahead', () => ctx.command({ type: 'nudge', beats: NUDGE_STEP_BEATS }, 'nudge')), learns[2]!.element),
    h('div', { class: 'pad' }, button('/2', 'half', scale(0.5)), button('x2', 'double', scale(2))),
  );
  const tempoFader = fader(ctx, tempo, 'tempo');
  const quantize = choice(ctx, parameter('quantize'), 'quantize');
  let shownBeats = 0;

  return {
    element: h('section', { class: 'tempo' }, h('h2', {}, 'tempo'), h('div', { class: 'readout' }, bpm, h('span', { class: 'unit' }, 'BPM'), dots, where, source), pads, tempoFader.element, quantize.element),
    update(model) {
      const t = model.state?.transport;
      setText(bpm, t === undefined ? '–' : t.bpm.toFixed(1));
      setText(source, t?.clockSource ?? '');
      for (const l of learns) l.update(model);
      tempoFader.update(model);
      quantize.update(model);
    },
    tick(position, beatsPerBar) {
      if (shownBeats !== beatsPerBar) {
        dots.replaceChildren(...Array.from({ length: beatsPerBar }, (_, i) => h('span', { class: i === 0 ? 'dot down' : 'dot' })));
        shownBeats = beatsPerBar;
      }
      const children = dots.children;
      for (let i = 0; i < children.length; i++) {
        setClass(children[i]!, 'on', position !== null && position.beat === i + 1 && position.phase < FLASH);
        setClass(children[i]!, 'here', position !== null && position.beat === i + 1);
      }
      setText(where, position === null ? '' : `${position.bar}.${position.beat}`);
    },
  };
}
