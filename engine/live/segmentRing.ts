import type { Segment } from './segment.js';

/**
 * The segments rendered ahead of playback, oldest first, bounded. A control change drops the
 * queued segments that no longer match it, so the change is heard at the next boundary.
 */
export class SegmentRing {
  private readonly items: Segment[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a whole number >= 1, got ${capacity}`);
  }

  get length(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.capacity;
  }

  push(segment: Segment): void {
    if (this.full) throw new Error('SegmentRing is full');
    this.items.push(segment);
  }

  shift(): Segment | undefined {
    return this.items.shift();
  }

  /** Removes the segments rendered for a state older than `version`; returns how many. */
  dropOlderThan(version: number): number {
    const before = this.items.length;
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i]!.version < version) this.items.splice(i, 1);
    return before - this.items.length;
  }
}
