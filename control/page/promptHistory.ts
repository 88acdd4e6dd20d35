/**
 * The prompts a performer has sent, newest first, kept across reloads (localStorage) so a set can
 * come back to a prompt that worked. One list per text target (audio prompt, picture prompt,
 * imprint words).
 */

/** The part of the Web Storage API the history needs (tests pass a Map-backed one). */
export interface TextStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const HISTORY_MAX = 30;
const KEY_PREFIX = 'synesthete.history.';

export class PromptHistory {
  private items: string[];

  constructor(
    private readonly target: string,
    private readonly store: TextStore | null,
    private readonly max = HISTORY_MAX,
  ) {
    this.items = load(store, KEY_PREFIX + target, max);
  }

  /** Newest first. */
  list(): readonly string[] {
    return this.items;
  }

  /** Records a sent text: moves it to the front if it is already there; the oldest fall off. */
  add(text: string): void {
    const t = text.trim();
    if (t === '') return;
    this.items = [t, ...this.items.filter((x) => x !== t)].slice(0, this.max);
    try {
      this.store?.setItem(KEY_PREFIX + this.target, JSON.stringify(this.items));
    } catch {
      // a full or forbidden storage (private mode) costs the history, never the show
    }
  }
}

/** Whatever the storage holds, a list of strings or nothing: a corrupt entry starts over. */
function load(store: TextStore | null, key: string, max: number): string[] {
  let raw: string | null = null;
  try {
    raw = store?.getItem(key) ?? null;
  } catch {
    return [];
  }
  if (raw === null) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((x): x is string => typeof x === 'string' && x.trim() !== '').slice(0, max);
  } catch {
    return [];
  }
}
