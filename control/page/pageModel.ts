import type { EngineState } from '../protocol/state.js';
import type { ServerMessage } from '../protocol/webProtocol.js';
import { type ClockAnchor, acceptClock } from './beatClock.js';

/**
 * Everything the control page knows, as one value, and the one function that moves it on: the
 * view only reads it. Server messages, what the page sent and the socket's ups and downs are all
 * actions, so the page's behaviour can be tested without a browser.
 */

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

/** A request the page sent and has no ack for yet. */
export interface PendingRequest {
  readonly kind: 'command' | 'learn';
  /** what it was about, for the toast if it is refused (e.g. `tempo`, `learn gain`) */
  readonly label: string;
  /** the parameter a learn is for */
  readonly parameter?: string;
}

export interface Toast {
  readonly id: number;
  readonly kind: 'error' | 'info';
  readonly text: string;
  readonly untilMs: number;
}

/** What the page keeps of a rendered segment: where its picture is and how long it plays. */
export interface SegmentInfo {
  readonly pictureUrl: string;
  readonly frames: number;
}

export interface PageModel {
  readonly connection: ConnectionStatus;
  readonly state: EngineState | null;
  readonly role: 'control' | 'view';
  readonly presets: readonly string[];
  /** picture names the show offers for `imprint.image` (its --pictures folder) */
  readonly pictures: readonly string[];
  /** whether the show has a MIDI controller to learn from */
  readonly midi: boolean;
  readonly clock: ClockAnchor | null;
  /** the last few segments announced by segment-ready, by id */
  readonly segments: ReadonlyMap<number, SegmentInfo>;
  /** the last segment-started: a repeat starts the same picture over */
  readonly started: { readonly segmentId: number; readonly frame: number } | null;
  /** parameters waiting for a MIDI control, with the id of the learn request */
  readonly learning: ReadonlyMap<string, string>;
  readonly pending: ReadonlyMap<string, PendingRequest>;
  readonly toasts: readonly Toast[];
  /** when each health counter last went up (performance.now() ms), to colour fresh trouble */
  readonly troubleMs: Readonly<Record<HealthCounter, number | null>>;
  readonly nextToastId: number;
}

export type HealthCounter = 'lateRepeats' | 'failedRenders' | 'underruns';
const COUNTERS: readonly HealthCounter[] = ['lateRepeats', 'failedRenders', 'underruns'];

/** How many segments' pictures the page remembers (the server keeps the last few too). */
const SEGMENTS_KEPT = 8;
export const TOAST_MS = 5000;

export type PageAction =
  | { readonly type: 'server'; readonly message: ServerMessage; readonly nowMs: number }
  | { readonly type: 'sent'; readonly id: string; readonly request: PendingRequest }
  /** the page cancelled a learn itself (pressed learn again) */
  | { readonly type: 'learn-cancelled'; readonly parameter: string }
  | { readonly type: 'connection'; readonly status: ConnectionStatus }
  /** a line for the performer that did not come from the server (e.g. a double tap to confirm) */
  | { readonly type: 'notice'; readonly kind: Toast['kind']; readonly text: string; readonly nowMs: number }
  | { readonly type: 'tick'; readonly nowMs: number };

export function initialPageModel(): PageModel {
  return {
    connection: 'connecting',
    state: null,
    role: 'control',
    presets: [],
    pictures: [],
    midi: false,
    clock: null,
    segments: new Map(),
    started: null,
    learning: new Map(),
    pending: new Map(),
    toasts: [],
    troubleMs: { lateRepeats: null, failedRenders: null, underruns: null },
    nextToastId: 1,
  };
}

/** The page's one state transition. Pure: returns the same object when nothing changed. */
export function reducePage(model: PageModel, action: PageAction): PageModel {
  switch (action.type) {
    case 'server': return onServer(model, action.message, action.nowMs);
    case 'sent': {
      const pending = new Map(model.pending).set(action.id, action.request);
      if (action.request.kind !== 'learn' || action.request.parameter === undefined) return { ...model, pending };
      return { ...model, pending, learning: new Map(model.learning).set(action.request.parameter, action.id) };
    }
    case 'learn-cancelled': {
      if (!model.learning.has(action.parameter)) return model;
      const learning = new Map(model.learning);
      learning.delete(action.parameter);
      return { ...model, learning };
    }
    case 'connection':
      if (action.status === model.connection) return model;
      // answers to requests on a dead socket never come: forget them rather than wait for ever
      return action.status === 'open'
        ? { ...model, connection: action.status }
        : { ...model, connection: action.status, pending: new Map(), learning: new Map(), clock: null };
    case 'notice': return toast(model, action.kind, action.text, action.nowMs);
    case 'tick': {
      const toasts = model.toasts.filter((t) => t.untilMs > action.nowMs);
      return toasts.length === model.toasts.length ? model : { ...model, toasts };
    }
  }
}

function onServer(model: PageModel, message: ServerMessage, nowMs: number): PageModel {
  switch (message.type) {
    case 'state':
      if (!looksLikeState(message.state)) return model;
      return { ...model, state: message.state, troubleMs: trouble(model, message.state, nowMs) };
    case 'hello': return { ...model, role: message.role, presets: message.presets, pictures: Array.isArray(message.pictures) ? message.pictures : [], midi: message.midi };
    case 'clock': {
      const clock = acceptClock(model.clock, message.frame, message.sampleRate, nowMs);
      return clock === model.clock ? model : { ...model, clock };
    }
    case 'event': {
      const e = message.event;
      if (typeof e !== 'object' || e === null) return model;
      if (e.type === 'segment-ready') {
        const segments = new Map(model.segments).set(e.segmentId, { pictureUrl: e.pictureUrl, frames: e.frames });
        for (const id of segments.keys()) if (segments.size > SEGMENTS_KEPT) segments.delete(id);
        return { ...model, segments };
      }
      if (e.type === 'segment-started') return { ...model, started: { segmentId: e.segmentId, frame: e.frame } };
      if (e.type === 'warning') return toast(model, 'info', e.message, nowMs);
      return model;
    }
    case 'ack': {
      const id = message.id === null ? null : String(message.id);
      const request = id === null ? undefined : model.pending.get(id);
      let next = model;
      if (id !== null && request !== undefined) {
        const pending = new Map(model.pending);
        pending.delete(id);
        next = { ...next, pending };
      }
      if (message.ok) return next;
      if (request?.kind === 'learn' && request.parameter !== undefined && model.learning.get(request.parameter) === id) {
        const learning = new Map(next.learning);
        learning.delete(request.parameter);
        next = { ...next, learning };
      }
      return toast(next, 'error', request === undefined ? message.reason : `${request.label}: ${message.reason}`, nowMs);
    }
    case 'learned': {
      const learning = new Map(model.learning);
      learning.delete(message.parameter);
      return toast({ ...model, learning }, 'info', `${message.parameter} ← ${message.mapping}`, nowMs);
    }
    case 'pong': return model;
    // a newer show may say more than this page knows: what it cannot read, it leaves alone
    default: return model;
  }
}

/** Enough of a state for the views to read without throwing: a broken one keeps the last good. */
function looksLikeState(s: unknown): s is EngineState {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  return ['transport', 'instant', 'health', 'prompts', 'guidance'].every((k) => typeof o[k] === 'object' && o[k] !== null) && typeof o.frame === 'number';
}

function toast(model: PageModel, kind: Toast['kind'], text: string, nowMs: number): PageModel {
  const t: Toast = { id: model.nextToastId, kind, text, untilMs: nowMs + TOAST_MS };
  // the newest few: a flood of refusals must not bury the controls
  return { ...model, toasts: [...model.toasts, t].slice(-4), nextToastId: model.nextToastId + 1 };
}

function trouble(model: PageModel, state: EngineState, nowMs: number): PageModel['troubleMs'] {
  const before = model.state?.health;
  let changed = false;
  const marks = { ...model.troubleMs };
  for (const c of COUNTERS) {
    if (before !== undefined && state.health[c] > before[c]) {
      marks[c] = nowMs;
      changed = true;
    }
  }
  return changed ? marks : model.troubleMs;
}

/** What the now-playing panel shows: the picture, its playhead's start and length, the recipe. */
export interface NowPlayingView {
  readonly segmentId: number;
  readonly pictureUrl: string;
  readonly description: string;
  readonly startFrame: number;
  /** output frames the segment plays for; null until a segment-ready said */
  readonly frames: number | null;
}

export function nowPlayingView(model: PageModel): NowPlayingView | null {
  const np = model.state?.nowPlaying;
  if (np === null || np === undefined) return null;
  const info = model.segments.get(np.segmentId);
  // a page that connected mid-segment never saw its segment-ready: segments are usually all
  // the same length at one tempo, so the latest known length is the best guess
  const frames = info?.frames ?? lastValue(model.segments)?.frames ?? null;
  const startFrame = model.started?.segmentId === np.segmentId ? Math.max(model.started.frame, np.startFrame) : np.startFrame;
  return {
    segmentId: np.segmentId,
    pictureUrl: info?.pictureUrl ?? `/segments/${np.segmentId}.png`,
    description: np.recipe.description,
    startFrame,
    frames,
  };
}

function lastValue<K, V>(map: ReadonlyMap<K, V>): V | undefined {
  let last: V | undefined;
  for (const v of map.values()) last = v;
  return last;
}
