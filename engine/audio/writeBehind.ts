/** Writes `length` bytes of `buffer` from `offset`; never throws (failures are the writer's to report). */
export type BlockWriter = (buffer: Buffer, offset: number, length: number) => Promise<void>;

/**
 * Bytes appended by a real-time producer and written out behind it: appends are copied into one
 * preallocated ring, and whatever has queued up is written in as few calls as the ring allows
 * while the producer goes on. The producer's pace therefore never depends on one disk write (or
 * on libuv's thread pool, shared with the rest of the process, which file writes go through),
 * only on the disk keeping up on average: `append` waits only when the whole ring is queued.
 *
 * @example
 * ```ts
 * const behind = new WriteBehind(1 << 20, (buf, off, len) => file.write(buf, off, len).then(() => {}));
 * await behind.append(chunkBytes); // at once, unless the disk is a whole ring behind
 * await behind.drain();            // everything appended is written
 * ```
 */
export class WriteBehind {
  private readonly ring: Buffer;
  /** Offset of the oldest byte not yet written. */
  private head = 0;
  private queued = 0;
  private flushing: Promise<void> | undefined;

  constructor(
    readonly capacity: number,
    private readonly write: BlockWriter,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`invalid WriteBehind capacity ${capacity}`);
    this.ring = Buffer.alloc(capacity);
  }

  /** Bytes appended and not yet written. */
  get pending(): number {
    return this.queued;
  }

  /** Copy `bytes` in (the caller may reuse them at once); resolves when they are queued. */
  async append(bytes: Buffer): Promise<void> {
    if (bytes.length > this.capacity) throw new RangeError(`WriteBehind: ${bytes.length} bytes do not fit a ${this.capacity}-byte ring`);
    // the bytes being written stay counted in `queued` until their write returns, so they are never overwritten
    while (this.capacity - this.queued < bytes.length) {
      this.kick();
      await this.flushing;
    }
    const tail = (this.head + this.queued) % this.capacity;
    const first = Math.min(bytes.length, this.capacity - tail);
    bytes.copy(this.ring, tail, 0, first);
    if (first < bytes.length) bytes.copy(this.ring, 0, first);
    this.queued += bytes.length;
    this.kick();
  }

  /**
   * Starts a flush unless one runs. A flush that ends restarts itself when bytes came in after its
   * last look at `queued` (between its loop and its `finally`), so none are left behind.
   */
  private kick(): void {
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
      if (this.queued > 0) this.kick();
    });
  }

  /** Resolves when everything appended so far is written. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.queued > 0) {
      // one call per contiguous stretch: everything queued, split only where the ring wraps
      const length = Math.min(this.queued, this.capacity - this.head);
      await this.write(this.ring, this.head, length);
      this.head = (this.head + length) % this.capacity;
      this.queued -= length;
    }
  }
}
