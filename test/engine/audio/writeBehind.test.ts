import { describe, expect, it } from 'vitest';
import { WriteBehind } from '../../../engine/audio/writeBehind.js';

describe('WriteBehind', () => {
  it('writes everything appended, in order, across the ring’s wrap, in as few writes as it can, and waits only when full', async () => {
    const out: number[] = [];
    const calls: number[] = [];
    let release: (() => void) | undefined;
    const behind = new WriteBehind(10, async (buffer, offset, length) => {
      calls.push(length);
      await new Promise<void>((r) => { release = r; });
      out.push(...buffer.subarray(offset, offset + length));
    });
    const bytes = (from: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => from + i));
    await behind.append(bytes(0, 3)); // the first write starts with these 3
    await behind.append(bytes(3, 4));
    await behind.append(bytes(7, 3)); // 10 queued: full
    let waited = true;
    const full = behind.append(bytes(10, 4)).then(() => { waited = false; });
    await Promise.resolve();
    expect(waited).toBe(true);
    release!(); // the first 3 land: room for 3, not 4
    await new Promise((r) => setTimeout(r, 1));
    release!(); // the next 7 land in one write (offsets 3 to 9)
    await full;
    expect(behind.pending).toBe(4);
    const drained = behind.drain();
    for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 1)); release?.(); }
    await drained;
    expect(out).toEqual(Array.from({ length: 14 }, (_, i) => i));
    expect(calls).toEqual([3, 7, 4]);
    await expect(behind.append(Buffer.alloc(11))).rejects.toThrow(RangeError);
  });

  it('leaves nothing behind when bytes come in just as a flush ends (a disk that answers at once)', async () => {
    const out: number[] = [];
    const behind = new WriteBehind(4, async (buffer, offset, length) => { out.push(...buffer.subarray(offset, offset + length)); });
    for (let i = 0; i < 50; i++) {
      await behind.append(Buffer.from([2 * i, 2 * i + 1]));
      if (i % 7 === 0) await Promise.resolve(); // land in every gap between a flush's loop and its end
    }
    await behind.drain();
    expect(behind.pending).toBe(0);
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // a ring too full for the next append waits for room, and gets it, however the writes interleave
    const small = new WriteBehind(4, async () => {});
    await small.append(Buffer.alloc(2));
    await small.append(Buffer.alloc(3));
    await small.drain();
    expect(small.pending).toBe(0);
  });
});
