/**
 * A multi-subscriber event bus. Publishing never throws: a subscriber that throws is reported to
 * `onError` (once per subscriber) and stays subscribed, because show time never throws.
 */
export class EventBus<T> {
  private readonly subscribers = new Set<(event: T) => void>();
  private readonly reported = new WeakSet<(event: T) => void>();

  constructor(private readonly onError: (message: string) => void = () => {}) {}

  /** Calls `listener` with every event from now on; returns the function that unsubscribes it. */
  subscribe(listener: (event: T) => void): () => void {
    this.subscribers.add(listener);
    return () => { this.subscribers.delete(listener); };
  }

  get size(): number {
    return this.subscribers.size;
  }

  publish(event: T): void {
    for (const listener of [...this.subscribers]) {
      try {
        listener(event);
      } catch (e) {
        if (this.reported.has(listener)) continue;
        this.reported.add(listener);
        this.onError(`an event subscriber failed (${e instanceof Error ? e.message : String(e)}); it stays subscribed`);
      }
    }
  }

  clear(): void {
    this.subscribers.clear();
  }
}
