/** Summary of a set of timings (seconds or ms): count, min, median, 95th percentile, max, rounded to 3 decimals. */
export function latencyStats(xs: readonly number[]): { n: number; min: number; median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, min: r(s[0] ?? NaN), median: r(q(0.5)), p95: r(q(0.95)), max: r(s.at(-1) ?? NaN) };
}
