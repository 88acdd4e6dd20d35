import type { ListenEvent } from '../../control/protocol/state.js';

/** Part of the strip that changed: upload it with `texture.subimage({width, height, data}, x, 0)`. */
export interface StripPatch {
  /** first changed column of the strip */
  readonly x: number;
  readonly width: number;
  readonly height: number;
  /** `width x height` bytes, rows top (high frequencies) to bottom, as a LUMINANCE texture wants them */
  readonly data: Uint8Array;
}

/**
 * Listen mode on the projector: the `listen` events' columns (docs/visuals.md "Listen mode") kept
 * in a ring `width` columns wide, laid out as one grey texture (row-major, row 0 = the highest
 * frequency, 255 = silent), so a look can draw the music heard as a strip that scrolls with the
 * newest column at its right edge. Pure data: the renderer owns the texture.
 *
 * Drawing it: upload `data` once as a `width x height` luminance texture (wrapS 'repeat'), then
 * each returned patch with `subimage`; sample it at `u = fract(head + x * span / width)` for x in
 * 0..1 across the screen, where `span` is the columns shown (at most `width`) and `head` =
 * `this.head - span / width`, so the newest column lands at the right edge.
 *
 * @example
 * const strip = new ListenStrip(800);
 * socket.onEvent((e) => { if (e.type === 'listen') for (const p of strip.add(e)) texture.subimage(p, p.x, 0); });
 */
export class ListenStrip {
  /** `width x height` bytes, row-major, rows top (high) to bottom (low) */
  readonly data: Uint8Array;
  /** the newest column's index (counted as the events count them), -1 before any */
  private newestColumn = -1;

  constructor(readonly width = 800, readonly height = 512) {
    if (!(Number.isInteger(width) && width >= 1 && Number.isInteger(height) && height >= 1)) throw new RangeError(`a listen strip needs a whole width and height >= 1 (got ${width} x ${height})`);
    this.data = new Uint8Array(width * height).fill(255);
  }

  /** The newest column's index, -1 before any. */
  get newest(): number {
    return this.newestColumn;
  }

  /** The texture coordinate (0..1) just right of the newest column: where the strip's live edge is. */
  get head(): number {
    return this.newestColumn < 0 ? 0 : ((this.newestColumn + 1) % this.width) / this.width;
  }

  /**
   * Adds an event's columns; returns what changed. Columns skipped (a gap in `firstColumn`, e.g.
   * after a reconnect) are drawn silent; an event that does not move forward (a new show
   * counting from 0 again) clears the strip first. An event whose `height` is not the strip's is ignored (no patches).
   */
  add(event: Pick<ListenEvent, 'firstColumn' | 'count' | 'height' | 'columns'>): StripPatch[] {
    if (event.height !== this.height || !(event.count >= 1)) return [];
    const bytes = decodeBase64(event.columns);
    const count = Math.min(event.count, Math.floor(bytes.length / this.height));
    if (count < 1) return [];
    const patches: StripPatch[] = [];
    // events only move forward: one that does not is a new show counting from 0 again
    if (event.firstColumn <= this.newestColumn) {
      this.data.fill(255);
      this.newestColumn = -1;
      patches.push({ x: 0, width: this.width, height: this.height, data: this.data.slice() });
    }
    // silence over skipped columns (at most the whole strip)
    const gapFrom = Math.max(this.newestColumn + 1, event.firstColumn - this.width);
    for (let c = gapFrom; c < event.firstColumn; c++) this.writeColumn(c, undefined, 0);
    const last = event.firstColumn + count - 1;
    // an event wider than the strip keeps only its last `width` columns
    for (let i = Math.max(0, count - this.width); i < count; i++) this.writeColumn(event.firstColumn + i, bytes, i * this.height);
    const from = Math.max(gapFrom, last - this.width + 1);
    this.newestColumn = last;
    return [...patches, ...this.patches(from, last)];
  }

  private writeColumn(column: number, bytes: Uint8Array | undefined, offset: number): void {
    const x = ((column % this.width) + this.width) % this.width;
    for (let row = 0; row < this.height; row++) this.data[row * this.width + x] = bytes ? bytes[offset + row]! : 255;
  }

  /** The columns from..to (inclusive) as row-major rectangles, split where the ring wraps. */
  private patches(from: number, to: number): StripPatch[] {
    const out: StripPatch[] = [];
    for (let c = from; c <= to;) {
      const x = c % this.width;
      const width = Math.min(to - c + 1, this.width - x);
      const data = new Uint8Array(width * this.height);
      for (let row = 0; row < this.height; row++) data.set(this.data.subarray(row * this.width + x, row * this.width + x + width), row * width);
      out.push({ x, width, height: this.height, data });
      c += width;
    }
    return out;
  }
}

/** base64 to bytes, in a browser (atob) or in Node (tests). */
function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
