import type { DoubleTap } from './doubleTap.js';
import type { PageModel } from './pageModel.js';

/** What the page's sections need from the page: the model, and ways to send. */
export interface PageContext {
  model(): PageModel;
  /** Sends a command (a `{type, ...}` object); `label` names it in a refusal's toast. */
  command(command: Record<string, unknown>, label: string): void;
  /** Sends the latest value of a moving control at most every few tens of milliseconds. */
  commandCoalesced(key: string, command: Record<string, unknown>, label: string): void;
  /** Sends what a moving control has waiting now (it was let go). */
  flush(key: string): void;
  /** Starts MIDI learn for a parameter, or cancels it if it is already waiting. */
  learn(parameter: string): void;
  notice(kind: 'error' | 'info', text: string): void;
  readonly doubleTap: DoubleTap;
  /** performance.now() */
  now(): number;
  /** a URL on the show's server with the page's token */
  url(path: string): string;
}

/** A piece of the page: its element, and how it shows a new model. */
export interface Widget {
  readonly element: HTMLElement;
  update(model: PageModel): void;
}
