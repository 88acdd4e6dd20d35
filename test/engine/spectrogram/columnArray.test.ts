import { describe, expect, it } from 'vitest';
import {
  columnArrayFromImage, columnArrayFromLatent, columnArrayToImage, isLatentShape, joinColumnRanges, sliceColumns,
} from '../../../engine/spectrogram/columnArray.js';

/** 3 columns x 2 rows; the red value encodes (row, column) so any transposition shows. */
const image = {
  width: 3,
  height: 2,
  rgb: Uint8Array.from([
    0, 100, 200, 1, 101, 201, 2, 102, 202,
    10, 110, 210, 11, 111, 211, 12, 112, 212,
  ]),
};

describe('columnArray', () => {
  it('reads an image as [channel][row][column] planes and writes it back', () => {
    const arr = columnArrayFromImage(image);
    expect([arr.channels, arr.rows, arr.columns]).toEqual([3, 2, 3]);
    expect(Array.from(arr.data)).toEqual([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112, 200, 201, 202, 210, 211, 212]);
    expect(columnArrayToImage(arr)).toEqual(image);
  });

  it('rounds and clamps when converting back to 8 bits', () => {
    const arr = { channels: 3, rows: 1, columns: 1, data: Float32Array.from([-4, 254.6, 300]) };
    expect(Array.from(columnArrayToImage(arr).rgb)).toEqual([0, 255, 255]);
  });

  it('views [1, C, H, W] and [C, H, W] latents without copying float32 data', () => {
    const data = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const a = columnArrayFromLatent([1, 2, 3, 4], data);
    expect([a.channels, a.rows, a.columns]).toEqual([2, 3, 4]);
    expect(a.data).toBe(data);
    expect(columnArrayFromLatent([2, 3, 4], Float64Array.from(data)).data).toEqual(data);
    expect([isLatentShape([1, 4, 64, 64]), isLatentShape([4, 64, 64]), isLatentShape([2, 4, 64, 64]), isLatentShape([64, 64]), isLatentShape([4, 0, 64])])
      .toEqual([true, true, false, false, false]);
    expect(() => columnArrayFromLatent([2, 4, 8, 8], new Float32Array(512))).toThrow(RangeError);
  });

  it('slices and joins column ranges in every row of every channel', () => {
    const arr = columnArrayFromImage(image);
    const s = sliceColumns(arr, 1, 3);
    expect(columnArrayToImage(s).rgb).toEqual(Uint8Array.from([1, 101, 201, 2, 102, 202, 11, 111, 211, 12, 112, 212]));
    const j = joinColumnRanges(arr, [[2, 3], [0, 2], [1, 1]]);
    expect(j.columns).toBe(3);
    expect(Array.from(j.data.subarray(0, 6))).toEqual([2, 0, 1, 12, 10, 11]);
    expect(() => sliceColumns(arr, 2, 2)).toThrow(RangeError);
    expect(() => sliceColumns(arr, 0, 4)).toThrow(RangeError);
  });
});
