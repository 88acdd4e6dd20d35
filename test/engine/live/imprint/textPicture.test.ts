import { describe, expect, it } from 'vitest';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows, hasGlyph } from '../../../../engine/live/imprint/bitmapFont.js';
import { renderText } from '../../../../engine/live/imprint/textPicture.js';
import type { RgbImage } from '../../../../engine/io/rgbImage.js';

function darkPixels(image: RgbImage): number {
  let n = 0;
  for (let i = 0; i < image.rgb.length; i += 3) if (image.rgb[i] === 0) n++;
  return n;
}

/** Bounding box of the dark pixels. */
function inkBox(image: RgbImage): { left: number; right: number; top: number; bottom: number } {
  let left = Infinity, right = -1, top = Infinity, bottom = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.rgb[(y * image.width + x) * 3] !== 0) continue;
      left = Math.min(left, x); right = Math.max(right, x); top = Math.min(top, y); bottom = Math.max(bottom, y);
    }
  }
  return { left, right, top, bottom };
}

/** Number of separate horizontal bands of rows with ink, i.e. lines of text. */
function inkBands(image: RgbImage): number {
  let bands = 0, inBand = false;
  for (let y = 0; y < image.height; y++) {
    let ink = false;
    for (let x = 0; x < image.width && !ink; x++) ink = image.rgb[(y * image.width + x) * 3] === 0;
    if (ink && !inBand) bands++;
    inBand = ink;
  }
  return bands;
}

describe('bitmapFont', () => {
  it('has a 5x7 glyph for every printable ASCII character and a box for the rest', () => {
    for (let c = 32; c <= 126; c++) {
      expect(hasGlyph(c)).toBe(true);
      const rows = glyphRows(c);
      expect(rows).toHaveLength(GLYPH_HEIGHT);
      for (const r of rows) expect(r >> GLYPH_WIDTH).toBe(0);
      // only the space is blank
      expect(rows.some((r) => r !== 0)).toBe(c !== 32);
    }
    expect(hasGlyph(0xe9)).toBe(false);
    expect(glyphRows(0xe9)).toEqual([0x1f, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1f]);
  });

  it('draws distinct glyphs for distinct characters', () => {
    const seen = new Set<string>();
    for (let c = 33; c <= 126; c++) seen.add(glyphRows(c).join(','));
    expect(seen.size).toBe(126 - 33 + 1);
  });
});

describe('renderText', () => {
  it('draws black text on white: HELLO has dark pixels, blank text none', () => {
    const hello = renderText('HELLO', 512, 512);
    expect(darkPixels(hello)).toBeGreaterThan(0);
    expect(hello.rgb.every((p) => p === 0 || p === 255)).toBe(true);
    expect(darkPixels(renderText('   ', 512, 512))).toBe(0);
    expect(darkPixels(renderText('', 64, 32))).toBe(0);
  });

  it('scales one line up to fill the width, centred', () => {
    const box = inkBox(renderText('HELLO', 512, 512));
    // 5 glyphs + 4 gaps = 29 font columns at 512 / 29 pixels each, so the ink spans the width
    expect(box.left).toBeLessThanOrEqual(1);
    expect(box.right).toBeGreaterThanOrEqual(510);
    const middle = (box.top + box.bottom) / 2;
    expect(Math.abs(middle - 255.5)).toBeLessThan(2);
  });

  it('is nearest-neighbour at whole scales: 1 pixel per font pixel reproduces the glyph', () => {
    const a = renderText('A', 5, 7);
    const rows = glyphRows('A'.charCodeAt(0));
    for (let y = 0; y < 7; y++) {
      for (let x = 0; x < 5; x++) {
        expect(a.rgb[(y * 5 + x) * 3]).toBe((rows[y]! >> (4 - x)) & 1 ? 0 : 255);
      }
    }
  });

  it('wraps long text onto several lines when that draws it larger', () => {
    const text = 'THE QUICK BROWN FOX JUMPS';
    const box = inkBox(renderText(text, 512, 512));
    const oneLineHeight = 7 * (512 / (text.length * 6 - 1));
    expect(box.bottom - box.top + 1).toBeGreaterThan(3 * oneLineHeight);
    // words are not broken: HELLO stays one line although HEL/LO would fill a square better
    expect(inkBands(renderText('HELLO', 512, 512))).toBe(1);
    // a wide box keeps short text on one line, and a newline forces a break
    expect(inkBands(renderText('HI HI', 300, 40))).toBe(1);
    expect(inkBands(renderText('HI\nHI', 300, 40))).toBe(2);
  });

  it('draws unknown characters as boxes instead of dropping them', () => {
    expect(darkPixels(renderText('é', 50, 70))).toBeGreaterThan(0);
    expect(darkPixels(renderText('🙂', 50, 70))).toBe(darkPixels(renderText('é', 50, 70)));
  });

  it('refuses a non-positive size', () => {
    expect(() => renderText('A', 0, 10)).toThrow(RangeError);
    expect(() => renderText('A', 10, 2.5)).toThrow(RangeError);
  });
});
