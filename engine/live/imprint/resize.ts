import type { RgbImage } from '../../io/rgbImage.js';

/**
 * Per-axis resampling weights of a triangle (bilinear) filter: for each output index, the first
 * input index it reads and the normalised weights of the inputs from there on.
 */
interface AxisWeights {
  readonly first: Int32Array;
  readonly count: Int32Array;
  /** `maxTaps` weights per output index (unused ones are 0) */
  readonly weights: Float64Array;
  readonly maxTaps: number;
}

/**
 * Triangle-filter weights mapping `inSize` samples onto `outSize`, with pixel centres aligned
 * (output x samples input position (x + 0.5) · inSize / outSize − 0.5).
 *
 * When enlarging this is plain bilinear interpolation with the edge pixels repeated. When
 * shrinking, the triangle is widened by the shrink factor (as Pillow's BILINEAR does), so every
 * input pixel contributes: plain bilinear would read 4 of every 64 pixels of a photo shrunk 8×
 * to spectrogram size, and the aliasing would be heard as noise.
 */
function axisWeights(inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  const support = Math.max(scale, 1);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inSize, Math.ceil(centre + support));
    let sum = 0;
    let n = 0;
    for (let i = lo; i < hi && n < maxTaps; i++, n++) {
      const w = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
      weights[o * maxTaps + n] = w;
      sum += w;
    }
    // Normalising (instead of clamping coordinates) is what repeats the edge pixels.
    for (let j = 0; j < n; j++) weights[o * maxTaps + j]! /= sum;
    first[o] = lo;
    count[o] = n;
  }
  return { first, count, weights, maxTaps };
}

/**
 * Resize an RGB image with bilinear interpolation (antialiased when shrinking). Pure: the input
 * is not modified; the same size returns an identical copy.
 *
 * @throws RangeError for a non-positive or fractional target size, or an `rgb` that does not
 * match the image's size.
 */
export function resizeBilinear(image: RgbImage, width: number, height: number): RgbImage {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`resizeBilinear: ${name} must be a whole number >= 1, got ${v}`);
  }
  if (image.width < 1 || image.height < 1 || image.rgb.length !== image.width * image.height * 3) {
    throw new RangeError(`resizeBilinear: rgb does not match ${image.width}x${image.height}`);
  }
  if (width === image.width && height === image.height) return { width, height, rgb: image.rgb.slice() };

  // Separable: horizontal pass into floats (no rounding in between), then vertical.
  const h = axisWeights(image.width, width);
  const v = axisWeights(image.height, height);
  const src = image.rgb;
  const mid = new Float32Array(width * image.height * 3);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width * 3;
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0;
      const base = x * h.maxTaps;
      for (let j = 0, i = row + h.first[x]! * 3; j < h.count[x]!; j++, i += 3) {
        const w = h.weights[base + j]!;
        r += w * src[i]!; g += w * src[i + 1]!; b += w * src[i + 2]!;
      }
      const o = (y * width + x) * 3;
      mid[o] = r; mid[o + 1] = g; mid[o + 2] = b;
    }
  }

  const out = new Uint8Array(width * height * 3);
  const stride = width * 3;
  for (let y = 0; y < height; y++) {
    const base = y * v.maxTaps;
    for (let c = 0; c < stride; c++) {
      let acc = 0;
      for (let j = 0, i = v.first[y]! * stride + c; j < v.count[y]!; j++, i += stride) acc += v.weights[base + j]! * mid[i]!;
      // weights are positive and sum to 1, so acc stays within 0..255 up to rounding error
      out[y * stride + c] = Math.min(255, Math.max(0, Math.round(acc)));
    }
  }
  return { width, height, rgb: out };
}
