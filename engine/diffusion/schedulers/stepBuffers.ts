/**
 * Small helpers shared by the schedulers: output buffers, argument checks, timestep lookup, and the
 * preallocated history ring used by multistep schedulers (PNDM, DPM-Solver).
 */

/** `out` if given (checked for length), else a new array. */
export function outBuffer(out: Float32Array | undefined, length: number, who: string): Float32Array {
  if (out === undefined) return new Float32Array(length);
  if (out.length !== length) throw new RangeError(`${who}: out has ${out.length} values, expected ${length}`);
  return out;
}

/** Throws unless every array has `a`'s length. */
export function checkSameLength(who: string, a: Float32Array, ...others: Float32Array[]): void {
  for (const b of others) {
    if (b.length !== a.length) throw new RangeError(`${who}: arrays differ in length (${a.length} vs ${b.length})`);
  }
}

/** Throws unless t is an integer training timestep in [0, T). */
export function checkIntegerTimestep(t: number, T: number, who: string): void {
  if (!Number.isInteger(t) || t < 0 || t >= T) {
    throw new RangeError(`${who}: timestep must be an integer in [0, ${T}), got ${t}`);
  }
}

/**
 * diffusers `index_for_timestep`: the position of t in `timesteps`; when t occurs twice, the
 * second one (so a run started mid-list does not skip a sigma). Throws when t is absent, where
 * diffusers would silently pick the last index.
 */
export function indexForTimestep(timesteps: Float64Array, t: number, who: string): number {
  let first = -1;
  for (let i = 0; i < timesteps.length; i++) {
    if (timesteps[i] !== t) continue;
    if (first >= 0) return i;
    first = i;
  }
  if (first < 0) {
    if (timesteps.length === 0) throw new Error(`${who}: call setTimesteps() first`);
    throw new RangeError(`${who}: t = ${t} is not one of the scheduler's timesteps (${timesteps[0]} ... ${timesteps[timesteps.length - 1]})`);
  }
  return first;
}

/**
 * A ring of `capacity` Float32Arrays, allocated once per sample length and reused: the newest
 * entry is `get(0)`. Pushing copies, so callers may reuse their buffers.
 */
export class HistoryRing {
  private slots: Float32Array[] = [];
  private head = -1;
  private count = 0;

  constructor(readonly capacity: number) {}

  /** entries held (<= capacity) */
  get size(): number {
    return this.count;
  }

  /** bytes allocated for the slots */
  get bytes(): number {
    return this.slots.reduce((s, a) => s + a.byteLength, 0);
  }

  /** Forget the entries (the buffers stay allocated). */
  clear(): void {
    this.head = -1;
    this.count = 0;
  }

  /** The slot the next push will fill, advanced as the newest entry (caller writes into it). */
  pushSlot(length: number): Float32Array {
    if (this.slots.length === 0 || this.slots[0]!.length !== length) {
      this.slots = Array.from({ length: this.capacity }, () => new Float32Array(length));
      this.clear();
    }
    this.head = (this.head + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
    return this.slots[this.head]!;
  }

  /** Copy `values` in as the newest entry. */
  push(values: Float32Array): void {
    this.pushSlot(values.length).set(values);
  }

  /** The k-th newest entry (0 = newest). */
  get(k: number): Float32Array {
    if (k < 0 || k >= this.count) throw new RangeError(`history: entry ${k} of ${this.count}`);
    return this.slots[(this.head - k + this.capacity) % this.capacity]!;
  }
}

/**
 * The step index of a counting scheduler (Euler, DPM-Solver, LCM) for t: set from the first t
 * after setTimesteps/reset (diffusers `_init_step_index`), then as counted. A t that disagrees
 * with the count means the loop skipped or repeated a step, and throws.
 * @param stepIndex the scheduler's count, null right after setTimesteps/reset
 */
export function countedStepIndex(timesteps: Float64Array, stepIndex: number | null, t: number, who: string): number {
  const index = stepIndex ?? indexForTimestep(timesteps, t, who);
  const expected = timesteps[index];
  if (expected !== t) {
    throw new RangeError(`${who}: t = ${t}, but step ${index} of ${timesteps.length} expects ${expected}; call reset() or setTimesteps() before a new run`);
  }
  return index;
}
