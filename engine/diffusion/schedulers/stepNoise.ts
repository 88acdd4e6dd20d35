/**
 * Fresh noise for stochastic schedulers (LCM re-noises between steps): a pure function of a seed
 * and the step index, so a run is reproducible and `reset()` replays it exactly.
 */
import { gaussianNoise } from '../noiseGenerator.js';
import type { StepNoise } from './scheduler.js';

/**
 * Standard normal noise for step k from seed s: {@link gaussianNoise} seeded with a 32-bit mix of
 * (s, k), so the streams of different steps (and of neighbouring seeds) do not overlap.
 * @example
 * const noise = seededStepNoise(42);
 * const z = new Float32Array(16);
 * noise(0, z); // the same 16 values every time
 */
export function seededStepNoise(seed: number): StepNoise {
  return (stepIndex, out) => out.set(gaussianNoise(mix32(seed, stepIndex), out.length));
}

/**
 * A seed for the step noise taken from the initial noise itself (FNV-1a over its float32 bits):
 * the sampler's noise stays its only random input, and the same noise gives the same run.
 */
export function seedFromNoise(noise: Float32Array): number {
  const bits = new Uint32Array(noise.buffer, noise.byteOffset, noise.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i]!, 0x01000193) >>> 0;
  return h;
}

/** murmur3's finaliser over seed and step: neighbouring inputs give unrelated seeds. */
function mix32(seed: number, step: number): number {
  let h = (seed ^ Math.imul(step + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
