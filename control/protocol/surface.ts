import type { EngineEvent, EngineState, ProjectorHealth, Surface } from './state.js';

/**
 * What a control surface (OSC, the web page, MIDI) needs of a show, and nothing more: surfaces
 * live in `control/` and never import the engine, so the composition root (`openShow`) hands
 * each one this link.
 */
export interface ShowLink {
  /** Applies a command (an object or JSON text); refused ones come back with a one-line reason. */
  command(input: unknown, surface: Surface): { ok: true } | { ok: false; reason: string };
  state(): EngineState;
  /**
   * The output frame being heard now and the sample rate: cheap enough to poll every video frame
   * (the projector and the page's beat light follow it; `state()` builds a whole object).
   */
  clock(): { readonly frame: number; readonly sampleRate: number };
  /** Every event from now on; returns the function that unsubscribes. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** The projector pages' frame pacing (null: none connected), published in `state().health.projector`. */
  reportProjector?(health: ProjectorHealth | null): void;
  /** MIDI learn, when the show has a MIDI controller (the page's learn buttons use it) */
  readonly midiLearn?: MidiLearnLink;
  /** Reports a show-time problem (the show goes on); a message repeated word for word is reported once. */
  warn(message: string): void;
}

/** A started surface: a socket, a port, a server. */
export interface ControlSurface {
  /** e.g. `OSC on 127.0.0.1:9000`, for the start-up line (empty: nothing to announce) */
  readonly description: string;
  /** Closes its sockets and timers and unsubscribes. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Starts a surface on a show. Setup problems (a port in use) reject with a one-line error
 * before anything plays.
 */
export type SurfaceStarter = (link: ShowLink) => Promise<ControlSurface>;

/** MIDI learn as a surface other than MIDI (the page) drives it. */
export interface MidiLearnLink {
  /** Arms learn for a parameter: null, or one line why it cannot be (no controller, not mappable). */
  arm(parameter: string): string | null;
  cancel(): void;
  /** Every finished learn: the parameter and one line describing the control now mapped to it. */
  onLearned(listener: (parameter: string, mapping: string) => void): () => void;
}
