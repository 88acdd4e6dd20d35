import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../../engine/io/rgbImage.js';
import { imprint } from '../../../../engine/live/imprint/imprint.js';
import { ImprintSource } from '../../../../engine/live/imprint/imprintSource.js';
import { renderText } from '../../../../engine/live/imprint/textPicture.js';
import { correlation, makeImage, meanAmplitude, sameBytes } from './helpers.js';

const ogBeat = new ImprintSource().nextPicture();
const { width: W, height: H } = ogBeat;
/** White on the left half, black on the right half. */
const halfWhite = makeImage(W, H, (x) => (x < W / 2 ? [255, 255, 255] : [0, 0, 0]));

describe('imprint', () => {
  it('k = 0 returns an exact copy of the beat, not the same buffer', () => {
    const out = imprint(ogBeat, halfWhite, 0);
    expect(out.width).toBe(W);
    expect(out.height).toBe(H);
    expect(sameBytes(out.rgb, ogBeat.rgb)).toBe(true);
    expect(out.rgb === ogBeat.rgb).toBe(false);
  });

  it('k = 1: the white half is lighter (quieter), the black half is exactly the beat', () => {
    const out = imprint(ogBeat, halfWhite, 1);
    let lighter = 0, darker = 0, changedUnderBlack = 0, whiteSum = 0, beatSum = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * W + x) * 3 + c;
          if (x >= W / 2) { if (out.rgb[i] !== ogBeat.rgb[i]) changedUnderBlack++; continue; }
          if (out.rgb[i]! > ogBeat.rgb[i]!) lighter++;
          if (out.rgb[i]! < ogBeat.rgb[i]!) darker++;
          whiteSum += out.rgb[i]!; beatSum += ogBeat.rgb[i]!;
        }
      }
    }
    expect(changedUnderBlack).toBe(0);
    // k = 1 under white: M = 0, every pixel silent
    expect(darker).toBe(0);
    expect(whiteSum).toBe(255 * 3 * (W / 2) * H);
    expect(lighter).toBeGreaterThan(0);
    expect(whiteSum).toBeGreaterThan(beatSum);
  });

  it('mid strength scales the power-0.25 amplitude by 1 - k·g', () => {
    const beat = makeImage(2, 1, () => [55, 55, 55]); // a = 200/255
    const grey = makeImage(2, 1, () => [102, 102, 102]); // g = 0.4
    const out = imprint(beat, grey, 0.5);
    expect(out.rgb[0]).toBe(Math.round(255 * (1 - (200 / 255) * (1 - 0.5 * 0.4))));
  });

  it('the mean amplitude drops monotonically with k', () => {
    const picture = renderText('HELLO', W, H);
    let previous = Infinity;
    for (let k = 0; k <= 1.0001; k += 0.1) {
      const mean = meanAmplitude(imprint(ogBeat, picture, k));
      expect(mean).toBeLessThan(previous);
      previous = mean;
    }
  });

  it('k is clamped to [0, 1]; NaN is refused', () => {
    expect(sameBytes(imprint(ogBeat, halfWhite, -3).rgb, ogBeat.rgb)).toBe(true);
    expect(sameBytes(imprint(ogBeat, halfWhite, 7).rgb, imprint(ogBeat, halfWhite, 1).rgb)).toBe(true);
    expect(() => imprint(ogBeat, halfWhite, Number.NaN)).toThrow(RangeError);
  });

  it('the picture is visible: the lightening follows the picture grey', () => {
    const lightening = (out: RgbImage) => Float64Array.from({ length: W * H }, (_, p) => out.rgb[p * 3]! - ogBeat.rgb[p * 3]!);
    const grey = (picture: RgbImage) => Float64Array.from({ length: W * H }, (_, p) => picture.rgb[p * 3]!);
    const hello = renderText('HELLO', W, H);
    const world = renderText('WORLD', W, H);
    const disc = makeImage(W, H, (x, y) => (Math.hypot(x - W / 2, y - H / 2) < W / 3 ? [0, 0, 0] : [255, 255, 255]));
    for (const k of [0.1, 0.5, 1]) {
      // Measured 0.55 (HELLO) and 0.80 (disc) at every k. Not higher because the lightening is
      // k·g·a: where the beat is already near silent (its light top rows) nothing can change.
      const helloChange = lightening(imprint(ogBeat, hello, k));
      expect(correlation(helloChange, grey(hello))).toBeGreaterThan(0.5);
      expect(correlation(lightening(imprint(ogBeat, disc, k)), grey(disc))).toBeGreaterThan(0.75);
      // control: another word in the same layout shares most of the white, yet fits worse (0.42)
      expect(correlation(helloChange, grey(hello)) - correlation(helloChange, grey(world))).toBeGreaterThan(0.1);
    }
  });

  it('resizes the picture to the beat (bilinear) and keeps the beat size', () => {
    const small = makeImage(4, 2, (x) => (x < 2 ? [255, 255, 255] : [0, 0, 0]));
    const out = imprint(ogBeat, small, 1);
    expect([out.width, out.height]).toEqual([W, H]);
    // far from the seam, the right side is black in the picture, so the beat is kept exactly
    const i = (10 * W + W - 5) * 3;
    expect(out.rgb[i]).toBe(ogBeat.rgb[i]);
    expect(out.rgb[10 * W * 3]).toBe(255);
  });

  it('grey mode keeps a grey beat grey; colour mode imprints per channel', () => {
    const beat = makeImage(1, 1, () => [0, 0, 0]);
    const red = makeImage(1, 1, () => [255, 0, 0]);
    expect([...imprint(beat, red, 1).rgb]).toEqual([85, 85, 85]); // grey 1/3: a = 1 - 1/3
    expect([...imprint(beat, red, 1, { colour: 'colour' }).rgb]).toEqual([255, 0, 0]);
  });

  it('refuses an image whose rgb does not match its size', () => {
    expect(() => imprint({ width: 2, height: 2, rgb: new Uint8Array(3) }, halfWhite, 0.5)).toThrow(/beat rgb does not match 2x2/);
  });
});
