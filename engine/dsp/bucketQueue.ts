/**
 * Max-priority queue of integer ids with keys quantised into `buckets` levels between `lo` and `hi`:
 * O(1) push and amortised O(1) pop, ties (same bucket) popped last-in first-out. For phase-gradient
 * integration this ordering is as good as an exact heap (the keys are log magnitudes; one bucket
 * is a fraction of a dB) and several times faster on hundreds of thousands of bins.
 */
export class BucketQueue {
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly lo: number;
  private readonly scale: number;
  private top = -1;
  size = 0;

  /** `next` holds one link per possible id (ids must be < next.length, each pushed at most once). */
  constructor(next: Int32Array, lo: number, hi: number, buckets = 1024) {
    this.head = new Int32Array(buckets).fill(-1);
    this.next = next;
    this.lo = lo;
    this.scale = hi > lo ? (buckets - 1) / (hi - lo) : 0;
  }

  push(id: number, key: number): void {
    const b = Math.min(this.head.length - 1, Math.max(0, Math.floor((key - this.lo) * this.scale)));
    this.next[id] = this.head[b]!;
    this.head[b] = id;
    if (b > this.top) this.top = b;
    this.size++;
  }

  /** Removes and returns an id from the highest non-empty bucket; size must be > 0. */
  pop(): number {
    while (this.head[this.top]! < 0) this.top--;
    const id = this.head[this.top]!;
    this.head[this.top] = this.next[id]!;
    this.size--;
    return id;
  }
}
