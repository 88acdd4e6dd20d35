/**
 * A fixed ring of preallocated chunk buffers between the producer and a device feeder.
 *
 * Every slot is allocated once, so the per-chunk path only copies samples. Each slot is a Buffer
 * (what naudiodon's `write()` takes) with a Float32Array view over the same memory (native byte
 * order, which is what PortAudio's Float32 format expects).
 */
export class ChunkRing {
  private readonly bytes: Buffer[];
  private readonly samples: Float32Array[];
  private head = 0;
  private count = 0;

  /**
   * @param capacity slots (chunks)
   * @param samplesPerChunk interleaved samples per chunk (frames x channels)
   */
  constructor(
    readonly capacity: number,
    readonly samplesPerChunk: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`invalid ring capacity ${capacity}`);
    this.samples = Array.from({ length: capacity }, () => new Float32Array(samplesPerChunk));
    this.bytes = this.samples.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength));
  }

  /** Chunks waiting. */
  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /**
   * Copy `chunk` into the next free slot. NaN becomes 0: one broken DSP value must not reach the
   * speakers, where some drivers turn it into a full-scale click.
   * @throws RangeError when the ring is full (the caller must wait for room).
   */
  push(chunk: Float32Array): void {
    if (this.full) throw new RangeError('ChunkRing overflow');
    const dst = this.samples[(this.head + this.count) % this.capacity];
    for (let i = 0; i < dst.length; i++) {
      const v = chunk[i];
      dst[i] = v === v ? v : 0; // v !== v only for NaN
    }
    this.count++;
  }

  /** The oldest chunk's bytes, or undefined when empty. Valid until the next `shift()`+`push()`. */
  peek(): Buffer | undefined {
    return this.count === 0 ? undefined : this.bytes[this.head];
  }

  /** Drop the oldest chunk. */
  shift(): void {
    if (this.count === 0) return;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
  }

  /** Drop everything; returns how many chunks were dropped. */
  clear(): number {
    const n = this.count;
    this.count = 0;
    return n;
  }
}
