/** The mean of all channels: how mono views (audio-to-image's mono image, score) hear a recording. */
export function monoMix(channels: readonly Float32Array[]): Float32Array {
  const n = channels[0]?.length ?? 0;
  const mix = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) mix[i]! += ch[i]! / channels.length;
  return mix;
}
