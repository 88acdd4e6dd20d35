import { describe, expect, it } from 'vitest';
import { ListenStrip } from '../../visuals/listen/listenStrip.js';

const H = 4;

/** An event of `count` columns from `first`, column c filled with the value c % 250. */
function event(first: number, count: number, height = H) {
  const bytes = new Uint8Array(count * height);
  for (let i = 0; i < count; i++) bytes.fill((first + i) % 250, i * height, (i + 1) * height);
  return { firstColumn: first, count, height, columns: Buffer.from(bytes).toString('base64') };
}

/** The strip's column x, top to bottom. */
function column(strip: ListenStrip, x: number): number[] {
  return Array.from({ length: strip.height }, (_, row) => strip.data[row * strip.width + x]!);
}

describe('ListenStrip (the listen look\'s texture)', () => {
  it('lays the columns out row-major in a ring, and returns exactly what changed, split where it wraps', () => {
    const strip = new ListenStrip(10, H);
    expect(strip.newest).toBe(-1);
    expect(column(strip, 0)).toEqual([255, 255, 255, 255]);
    const first = strip.add(event(0, 4));
    expect(first).toEqual([{ x: 0, width: 4, height: H, data: expect.any(Uint8Array) }]);
    expect(Array.from(first[0]!.data.subarray(0, 4))).toEqual([0, 1, 2, 3]); // the top row of columns 0..3
    strip.add(event(4, 4));
    const wrapped = strip.add(event(8, 4)); // columns 8, 9 at the end, 10, 11 at x 0, 1
    expect(wrapped.map((p) => [p.x, p.width])).toEqual([[8, 2], [0, 2]]);
    expect(column(strip, 1)).toEqual([11, 11, 11, 11]);
    expect(column(strip, 9)).toEqual([9, 9, 9, 9]);
    expect(strip.newest).toBe(11);
    expect(strip.head).toBeCloseTo(0.2);
  });

  it('draws skipped columns silent, starts over for a new show, and ignores a foreign height', () => {
    const strip = new ListenStrip(10, H);
    strip.add(event(0, 4));
    strip.add(event(6, 2)); // 4 and 5 were skipped
    expect(column(strip, 4)).toEqual([255, 255, 255, 255]);
    expect(column(strip, 6)).toEqual([6, 6, 6, 6]);
    strip.add(event(100, 3)); // far ahead: everything before is silent
    expect(column(strip, 0)).toEqual([100, 100, 100, 100]);
    expect(column(strip, 3)).toEqual([255, 255, 255, 255]);
    const restart = strip.add(event(0, 2));
    expect(restart[0]).toMatchObject({ x: 0, width: 10 }); // cleared
    expect(column(strip, 2)).toEqual([255, 255, 255, 255]);
    expect(strip.newest).toBe(1);
    expect(strip.add(event(2, 2, 8))).toEqual([]);
    expect(strip.newest).toBe(1);
  });
});
