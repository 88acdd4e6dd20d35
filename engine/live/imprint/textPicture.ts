import type { RgbImage } from '../../io/rgbImage.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './bitmapFont.js';

/** A glyph cell: the glyph plus one blank column and one blank row between characters and lines. */
const CELL_W = GLYPH_WIDTH + 1;
const CELL_H = GLYPH_HEIGHT + 1;

/**
 * Greedy word wrap of one paragraph into lines of at most `maxChars` characters (code points);
 * a word longer than that gets a line of its own (words are never broken).
 */
function wrapParagraph(words: readonly string[][], maxChars: number): string[][] {
  const lines: string[][] = [];
  let line: string[] = [];
  for (const word of words) {
    if (line.length > 0 && line.length + 1 + word.length <= maxChars) {
      line.push(' ', ...word);
      continue;
    }
    if (line.length > 0) lines.push(line);
    line = [...word];
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** Explicit line breaks are kept; each paragraph is a list of words, each word a list of code points. */
function paragraphs(text: string): string[][][] {
  return text.split(/\r\n|\r|\n/).map((p) => p.split(/[ \t]+/).filter((w) => w.length > 0).map((w) => Array.from(w)));
}

/**
 * The line layout that lets the text be drawn largest in a `width` × `height` box: every line
 * length from the longest word to the longest paragraph is tried, since wrapping trades width
 * for height. Words are not broken even when that would draw larger ("HEL/LO" fills a square
 * better than "HELLO" but is harder to read). Returns the lines and the scale (image pixels per
 * font pixel).
 */
function bestLayout(text: string, width: number, height: number): { lines: string[][]; scale: number } {
  const paras = paragraphs(text).filter((p) => p.length > 0);
  let longestWord = 1, longestPara = 1;
  for (const p of paras) {
    for (const w of p) longestWord = Math.max(longestWord, w.length);
    longestPara = Math.max(longestPara, p.reduce((n, w) => n + w.length, 0) + p.length - 1);
  }
  let best: { lines: string[][]; scale: number } = { lines: [], scale: 0 };
  for (let maxChars = longestWord; maxChars <= longestPara; maxChars++) {
    const lines = paras.flatMap((p) => wrapParagraph(p, maxChars));
    const cols = lines.reduce((n, l) => Math.max(n, l.length), 0) * CELL_W - 1;
    const rows = lines.length * CELL_H - 1;
    const scale = Math.min(width / cols, height / rows);
    if (scale > best.scale) best = { lines, scale };
  }
  return best;
}

/**
 * Render text as a picture for imprinting: black text on white, `width` × `height`, drawn with the
 * built-in 5 × 7 font scaled up (nearest-neighbour, the same factor on both axes, not necessarily
 * whole) to fill the image, word-wrapped onto as many lines as make it largest, each line centred
 * and the block centred. Newlines force line breaks; tabs count as spaces; characters outside
 * printable ASCII are drawn as boxes. Blank text gives a white image. Pure.
 *
 * Very long text in a small image is drawn with less than one image pixel per font pixel, and
 * strokes then drop out: keep live text short (a few words suit a 512 × 512 sound-picture).
 *
 * @throws RangeError for a non-positive or fractional size
 */
export function renderText(text: string, width: number, height: number): RgbImage {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`renderText: ${name} must be a whole number >= 1, got ${v}`);
  }
  const rgb = new Uint8Array(width * height * 3).fill(255);
  const { lines, scale } = bestLayout(text, width, height);
  if (lines.length === 0) return { width, height, rgb };

  const blockH = lines.length * CELL_H - 1;
  const top = Math.floor((height - blockH * scale) / 2);
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    const lineW = line.length * CELL_W - 1;
    const left = Math.floor((width - lineW * scale) / 2);
    // Visit the image pixels this line covers and look up the font pixel under each (nearest
    // neighbour), so a fractional scale still gives gap-free strokes.
    const y0 = Math.max(0, top + Math.floor(li * CELL_H * scale));
    const y1 = Math.min(height, top + Math.ceil((li * CELL_H + GLYPH_HEIGHT) * scale));
    const x0 = Math.max(0, left);
    const x1 = Math.min(width, left + Math.ceil(lineW * scale));
    for (let y = y0; y < y1; y++) {
      const fy = Math.floor((y - top) / scale) - li * CELL_H;
      if (fy < 0 || fy >= GLYPH_HEIGHT) continue;
      for (let x = x0; x < x1; x++) {
        const fx = Math.floor((x - left) / scale);
        const ch = Math.floor(fx / CELL_W);
        const gx = fx - ch * CELL_W;
        if (ch >= line.length || gx >= GLYPH_WIDTH) continue;
        const bits = glyphRows(line[ch]!.codePointAt(0)!)[fy]!;
        if ((bits >> (GLYPH_WIDTH - 1 - gx)) & 1) rgb.fill(0, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
  }
  return { width, height, rgb };
}
