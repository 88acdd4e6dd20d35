/** A latent tensor [channels, height, width] (batch 1), row-major, as the UNet and VAE see it. */
export interface Latent {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly data: Float32Array;
}

export function latentOf(channels: number, height: number, width: number, data: Float32Array = new Float32Array(channels * height * width)): Latent {
  if (data.length !== channels * height * width) throw new RangeError(`latent data holds ${data.length} values, not ${channels}x${height}x${width}`);
  return { channels, height, width, data };
}

/**
 * np.roll along the width: column x moves to (x + shift) mod width; negative = left.
 * Writes into `out` (a different array) and returns it.
 */
export function rollColumns(src: Latent, shift: number, out: Float32Array = new Float32Array(src.data.length)): Float32Array {
  const { width: w } = src;
  const s = ((shift % w) + w) % w;
  const rows = src.channels * src.height;
  for (let r = 0; r < rows; r++) {
    const base = r * w;
    out.set(src.data.subarray(base, base + w - s), base + s);
    out.set(src.data.subarray(base + w - s, base + w), base);
  }
  return out;
}

/** a + t (b - a), elementwise */
export function lerp(a: Float32Array, b: Float32Array, t: number, out: Float32Array = new Float32Array(a.length)): Float32Array {
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + t * (b[i]! - a[i]!);
  return out;
}

/**
 * Spherical interpolation of two noise tensors as Riffusion does: on the flattened vectors,
 * cos = <a, b> / (|a| |b|); if |cos| > threshold (0.9995), plain lerp; otherwise
 * [sin((1 - t) theta) a + sin(t theta) b] / sin(theta), theta = acos(cos).
 */
export function slerp(t: number, a: Float32Array, b: Float32Array, threshold = 0.9995): Float32Array {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i]! * b[i]!; na += a[i]! * a[i]!; nb += b[i]! * b[i]!; }
  const cos = dot / (Math.sqrt(na) * Math.sqrt(nb));
  if (Math.abs(cos) > threshold) return lerp(a, b, t);
  const theta = Math.acos(cos);
  const sinTheta = Math.sin(theta);
  const s0 = Math.sin((1 - t) * theta) / sinTheta, s1 = Math.sin(t * theta) / sinTheta;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = s0 * a[i]! + s1 * b[i]!;
  return out;
}

/** Latents side by side (same channels and height): segments joined before decoding have no seam. */
export function concatWidth(parts: readonly Latent[]): Latent {
  const first = parts[0];
  if (!first) throw new RangeError('concatWidth needs at least one latent');
  for (const p of parts) {
    if (p.channels !== first.channels || p.height !== first.height) throw new RangeError('latents to join must share channels and height');
  }
  const width = parts.reduce((w, p) => w + p.width, 0);
  const out = new Float32Array(first.channels * first.height * width);
  const rows = first.channels * first.height;
  for (let r = 0; r < rows; r++) {
    let x = 0;
    for (const p of parts) {
      out.set(p.data.subarray(r * p.width, (r + 1) * p.width), r * width + x);
      x += p.width;
    }
  }
  return latentOf(first.channels, first.height, width, out);
}
