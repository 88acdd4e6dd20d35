/** A seeded generator (mulberry32): the same seed gives the same fuzz cases on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** a whole number in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Numbers that break readers: zero, negatives, fractions, the edges of integer types, huge, not finite. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0, -1, 0.5, 1, 2, 7, 8000, 44100, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 1e9, 1e12, 2147483640, 1048576,
  -44100, 1e-300, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity,
];

/** `bytes` with `count` random bytes replaced. */
export function flipBytes(rng: Random, bytes: Buffer, count: number, from = 0): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < count && out.length > from; i++) out[from + rng.int(out.length - from)] = rng.int(256);
  return out;
}
