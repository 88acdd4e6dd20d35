/**
 * Scales all channels together so the largest absolute sample sits at `peakDbfs` (default -0.1 dBFS,
 * Riffusion's net output level). Silent input is left silent. Returns the gain applied.
 */
export function peakNormalize(channels: Float32Array[], peakDbfs = -0.1): number {
  let peak = 0;
  for (const ch of channels) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]!));
  if (peak === 0 || !Number.isFinite(peak)) return 1;
  const gain = 10 ** (peakDbfs / 20) / peak;
  for (const ch of channels) for (let i = 0; i < ch.length; i++) ch[i]! *= gain;
  return gain;
}
