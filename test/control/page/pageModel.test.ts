import { describe, expect, it } from 'vitest';
import { type PageAction, type PageModel, TOAST_MS, initialPageModel, nowPlayingView, reducePage } from '../../../control/page/pageModel.js';
import type { ServerMessage } from '../../../control/protocol/webProtocol.js';
import { engineStateFixture } from '../../helpers/engineStateFixture.js';

const server = (message: ServerMessage, nowMs = 0): PageAction => ({ type: 'server', message, nowMs });
const run = (actions: PageAction[], from: PageModel = initialPageModel()) => actions.reduce(reducePage, from);
const stamp = { at: 1, frame: 48_000, position: { bar: 2, beat: 1 } };
const recipe = engineStateFixture().nowPlaying!.recipe;

describe('reducePage', () => {
  it('takes the state and the hello', () => {
    const state = engineStateFixture();
    const m = run([
      server({ type: 'state', state }),
      server({ type: 'hello', role: 'view', sampleRate: 48_000, presets: ['tiny', 'waltz'], pictures: ['sea.png'], midi: true, show: 'a1' }),
    ]);
    expect(m.state).toBe(state);
    expect(m.role).toBe('view');
    expect(m.presets).toEqual(['tiny', 'waltz']);
    expect(m.pictures).toEqual(['sea.png']);
    expect(m.midi).toBe(true);
  });

  it('leaves the model alone for messages it cannot read (a newer server, a broken frame)', () => {
    const m = run([server({ type: 'state', state: engineStateFixture() })]);
    for (const bad of [{ type: 'from-the-future' }, { type: 'state' }, { type: 'state', state: { frame: 1 } }, { type: 'event' }, { type: 'event', event: null }]) {
      expect(reducePage(m, server(bad as unknown as ServerMessage))).toBe(m);
    }
  });

  it('keeps only the newest clock and returns the same model for a stale one', () => {
    const m = run([server({ type: 'clock', frame: 1000, sampleRate: 48_000 }, 10)]);
    expect(m.clock).toMatchObject({ frame: 1000, sampleRate: 48_000, receivedMs: 10 });
    expect(reducePage(m, server({ type: 'clock', frame: 900, sampleRate: 48_000 }, 20))).toBe(m);
  });

  it('forgets an acked command and toasts a refusal with what it was about', () => {
    const m = run([
      { type: 'sent', id: '1', request: { kind: 'command', label: 'tempo' } },
      { type: 'sent', id: '2', request: { kind: 'command', label: 'gain' } },
      server({ type: 'ack', id: '1', ok: true }),
      server({ type: 'ack', id: '2', ok: false, reason: 'gain.value: must be at most 1 (got 2)' }, 100),
    ]);
    expect(m.pending.size).toBe(0);
    expect(m.toasts.map((t) => [t.kind, t.text])).toEqual([['error', 'gain: gain.value: must be at most 1 (got 2)']]);
    expect(reducePage(m, { type: 'tick', nowMs: 100 + TOAST_MS - 1 }).toasts.length).toBe(1);
    expect(reducePage(m, { type: 'tick', nowMs: 100 + TOAST_MS }).toasts.length).toBe(0);
  });

  it('waits on a learn until learned, or until its ack refuses it', () => {
    const learning = run([
      { type: 'sent', id: 'a', request: { kind: 'learn', label: 'learn gain', parameter: 'gain' } },
      server({ type: 'ack', id: 'a', ok: true }),
    ]);
    expect([...learning.learning.keys()]).toEqual(['gain']);
    const learned = reducePage(learning, server({ type: 'learned', parameter: 'gain', mapping: 'nanoKONTROL2 ch1 CC 0' }));
    expect(learned.learning.size).toBe(0);
    expect(learned.toasts[0]!.text).toContain('nanoKONTROL2 ch1 CC 0');

    const refused = run([
      { type: 'sent', id: 'b', request: { kind: 'learn', label: 'learn filter', parameter: 'filter' } },
      server({ type: 'ack', id: 'b', ok: false, reason: 'no MIDI controller (start with --midi NAME)' }),
    ]);
    expect(refused.learning.size).toBe(0);
    expect(refused.toasts[0]).toMatchObject({ kind: 'error', text: 'learn filter: no MIDI controller (start with --midi NAME)' });
  });

  it('a dropped socket forgets pending requests, learns and the clock; reconnecting shows', () => {
    const m = run([
      server({ type: 'clock', frame: 1000, sampleRate: 48_000 }),
      { type: 'sent', id: 'a', request: { kind: 'learn', label: 'learn gain', parameter: 'gain' } },
      { type: 'connection', status: 'reconnecting' },
    ]);
    expect(m.connection).toBe('reconnecting');
    expect(m.pending.size + m.learning.size).toBe(0);
    expect(m.clock).toBeNull();
  });

  it('marks a health counter that went up, not one that stayed', () => {
    const s = engineStateFixture();
    const worse = engineStateFixture({ health: { ...s.health, underruns: 1 } });
    const m = run([server({ type: 'state', state: s }, 0), server({ type: 'state', state: worse }, 500), server({ type: 'state', state: worse }, 900)]);
    expect(m.troubleMs).toEqual({ lateRepeats: null, failedRenders: null, underruns: 500 });
  });

  it('keeps the last eight segment pictures and shows warnings as info toasts', () => {
    const actions: PageAction[] = [];
    for (let id = 1; id <= 10; id++) {
      actions.push(server({ type: 'event', event: { ...stamp, type: 'segment-ready', segmentId: id, pictureUrl: `/segments/${id}.png`, width: 512, height: 512, recipe, bars: 2, frames: 192_000, startFrame: null } }));
    }
    actions.push(server({ type: 'event', event: { ...stamp, type: 'warning', message: 'render slow' } }));
    const m = run(actions);
    expect([...m.segments.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(m.toasts.map((t) => t.kind)).toEqual(['info']);
  });
});

describe('nowPlayingView', () => {
  it('takes the picture and length from segment-ready and the start from the latest segment-started (a repeat)', () => {
    const state = engineStateFixture();
    const m = run([
      server({ type: 'event', event: { ...stamp, type: 'segment-ready', segmentId: 3, pictureUrl: '/segments/3.png', width: 512, height: 512, recipe, bars: 2, frames: 192_000, startFrame: 48_000 } }),
      server({ type: 'state', state }),
      server({ type: 'event', event: { ...stamp, frame: 240_000, type: 'segment-started', segmentId: 3, recipe, repeat: true, frozen: false } }),
    ]);
    expect(nowPlayingView(m)).toEqual({ segmentId: 3, pictureUrl: '/segments/3.png', description: recipe.description, startFrame: 240_000, frames: 192_000 });
  });
  it('guesses the length from the latest segment for a page that joined mid-segment, and has nothing before the first', () => {
    const m = run([
      server({ type: 'event', event: { ...stamp, type: 'segment-ready', segmentId: 4, pictureUrl: '/segments/4.png', width: 512, height: 512, recipe, bars: 2, frames: 96_000, startFrame: null } }),
      server({ type: 'state', state: engineStateFixture() }),
    ]);
    expect(nowPlayingView(m)).toMatchObject({ segmentId: 3, pictureUrl: '/segments/3.png', startFrame: 48_000, frames: 96_000 });
    expect(nowPlayingView(run([server({ type: 'state', state: engineStateFixture({ nowPlaying: null }) })]))).toBeNull();
  });
});
