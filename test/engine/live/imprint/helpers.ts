import type { RgbImage } from '../../../../engine/io/rgbImage.js';

/** Pearson correlation of two equally long sequences. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`correlation: lengths differ (${a.length} vs ${b.length})`);
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma, y = b[i]! - mb;
    sab += x * y; saa += x * x; sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** An image whose every pixel is `colour(x, y)` = [r, g, b]. */
export function makeImage(width: number, height: number, colour: (x: number, y: number) => readonly [number, number, number]): RgbImage {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rgb.set(colour(x, y), (y * width + x) * 3);
  }
  return { width, height, rgb };
}

/** Mean amplitude in the image's power-0.25 domain, 1 - p / 255 over all channels (1 = loud). */
export function meanAmplitude(image: RgbImage): number {
  let sum = 0;
  for (const p of image.rgb) sum += 1 - p / 255;
  return sum / image.rgb.length;
}

/** Byte equality of two pixel buffers (vitest's deep equality is slow on 786 432 elements). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
