/**
 * Seed -> standard normal noise, the same on every platform and in every version of Synesthete:
 * xoshiro128** (Blackman & Vigna) seeded through SplitMix32 from the 32-bit seed, uniform doubles
 * from 53 bits of two outputs, and Box-Muller pairs (cos branch first, then sin), stored as float32.
 *
 * It does not and cannot reproduce PyTorch's generators: the same seed gives different noise than
 * diffusers does. What matters is that a seed always gives the same noise here (recipes, sessions).
 */
export function gaussianNoise(seed: number, count: number): Float32Array {
  const next = xoshiro128ss(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    let u1 = uniform53(next);
    while (u1 <= 0) u1 = uniform53(next);
    const u2 = uniform53(next);
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

function uniform53(next: () => number): number {
  const hi = next() >>> 5, lo = next() >>> 6; // 27 + 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

function xoshiro128ss(seed: number): () => number {
  let sm = seed >>> 0;
  const splitmix32 = () => {
    sm = (sm + 0x9e3779b9) >>> 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32(), b = splitmix32(), c = splitmix32(), d = splitmix32();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d >>> 0, 11);
    a >>>= 0; b >>>= 0; c >>>= 0;
    return result;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
