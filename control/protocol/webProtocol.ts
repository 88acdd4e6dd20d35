import type { Command } from './commands.js';
import type { EngineEvent, EngineState, Stamp } from './state.js';

/**
 * The WebSocket protocol of the show's web port (`ws://host:port/ws`), spoken by the control page,
 * the projector output and any client a performer writes. JSON text frames, one message each.
 * Browser-safe (types only). Documented in docs/control.md ("WebSocket protocol").
 */

/** Client to server. `id` is echoed in the ack, so a client can match answers to requests. */
export type ClientMessage =
  /** apply a command (refused with a reason for a read-only (view) connection) */
  | { readonly type: 'command'; readonly id?: string | number; readonly command: Command | unknown }
  /** MIDI learn from the page: the next control moved on a MIDI controller is mapped to `parameter` */
  | { readonly type: 'learn'; readonly id?: string | number; readonly parameter: string }
  | { readonly type: 'learn-cancel'; readonly id?: string | number }
  | { readonly type: 'ping'; readonly id?: string | number }
  /** a projector page's frame pacing, every 2 s (shown in `state.health.projector`); not acked */
  | { readonly type: 'output-stats'; readonly frames: number; readonly skipped: number; readonly drawMeanMs: number };

/** The projector needs the picture, not megabytes of RGB in JSON: segment pictures go by URL. */
export type WireEvent =
  | Exclude<EngineEvent, { type: 'segment-ready' }>
  | (Stamp & Omit<Extract<EngineEvent, { type: 'segment-ready' }>, 'picture'> & {
      /** `/segments/<id>.png?show=<show id>` on the same server (kept for the last segments only; the show id keeps a restarted show's pictures apart in caches) */
      readonly pictureUrl: string;
      readonly width: number;
      readonly height: number;
    });

/** Server to client. The first message on every connection is the full `state`. */
export type ServerMessage =
  | { readonly type: 'state'; readonly state: EngineState }
  /** sent once after the first state: what this connection may do and what the show offers */
  | {
      readonly type: 'hello';
      /** `control` steers; `view` (a connection with the view token) only watches */
      readonly role: 'control' | 'view';
      readonly sampleRate: number;
      /** preset names available to the `preset` command */
      readonly presets: readonly string[];
      /** picture names (PNG/JPEG in the show's --pictures folder) available to `imprint.image` */
      readonly pictures: readonly string[];
      /** whether MIDI learn is possible (a MIDI controller is connected) */
      readonly midi: boolean;
      /** this show's id: a page reconnecting to a different (restarted) show starts over */
      readonly show: string;
    }
  /** the output frame heard now, about 20 times a second (pages predict between them) */
  | {
      readonly type: 'clock'; readonly frame: number; readonly sampleRate: number;
      /**
       * the server's clock when `frame` was read, ms (any origin, steady): a page measures how
       * late each message reached it, so a page that was busy does not mistake a late message
       * for a late show
       */
      readonly sentAt?: number;
    }
  | { readonly type: 'event'; readonly event: WireEvent }
  | { readonly type: 'ack'; readonly id: string | number | null; readonly ok: true }
  | { readonly type: 'ack'; readonly id: string | number | null; readonly ok: false; readonly reason: string }
  /** a MIDI learn finished: `mapping` describes the control now mapped to `parameter` */
  | { readonly type: 'learned'; readonly parameter: string; readonly mapping: string }
  | { readonly type: 'pong'; readonly id: string | number | null };
