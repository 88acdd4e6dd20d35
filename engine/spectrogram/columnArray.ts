import type { RgbImage } from '../io/rgbImage.js';

/**
 * A stack of 2-D planes read column by column: an RGB spectrogram image (3 channels, rows =
 * image rows) or a diffusion latent (C channels, H rows), both with time running along the columns.
 * `data[(c * rows + r) * columns + x]`, i.e. the C-order layout of a `[C, H, W]` array.
 */
export interface ColumnArray {
  readonly channels: number;
  readonly rows: number;
  readonly columns: number;
  readonly data: Float32Array;
}

function check(arr: ColumnArray): void {
  const { channels, rows, columns, data } = arr;
  if (![channels, rows, columns].every((d) => Number.isInteger(d) && d >= 1)) {
    throw new RangeError(`ColumnArray: invalid size ${channels}x${rows}x${columns}`);
  }
  if (data.length !== channels * rows * columns) {
    throw new RangeError(`ColumnArray: data has ${data.length} values, expected ${channels * rows * columns}`);
  }
}

/**
 * Wrap an RGB image's pixel values (0-255) as 3 planes, row 0 at the top.
 * @example columnArrayFromImage(readPng('og_beat.png')) // { channels: 3, rows: 512, columns: 512 }
 */
export function columnArrayFromImage(image: RgbImage): ColumnArray {
  const { width, height, rgb } = image;
  const data = new Float32Array(3 * height * width);
  for (let r = 0; r < height; r++) {
    for (let x = 0; x < width; x++) {
      const p = (r * width + x) * 3;
      for (let c = 0; c < 3; c++) data[(c * height + r) * width + x] = rgb[p + c]!;
    }
  }
  const arr = { channels: 3, rows: height, columns: width, data };
  check(arr);
  return arr;
}

/**
 * The inverse of `columnArrayFromImage`: 3 planes back to 8-bit RGB (rounded, clamped to 0-255).
 * @throws RangeError unless the array has exactly 3 channels.
 */
export function columnArrayToImage(arr: ColumnArray): RgbImage {
  const { channels, rows, columns, data } = arr;
  if (channels !== 3) throw new RangeError(`columnArrayToImage: needs 3 channels, got ${channels}`);
  const rgb = new Uint8Array(rows * columns * 3);
  for (let c = 0; c < 3; c++) {
    for (let r = 0; r < rows; r++) {
      for (let x = 0; x < columns; x++) rgb[(r * columns + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(data[(c * rows + r) * columns + x]!)));
    }
  }
  return { width: columns, height: rows, rgb };
}

/** Whether `shape` is a single latent, `[1, C, H, W]` or `[C, H, W]`, with no empty axis. */
export function isLatentShape(shape: readonly number[]): boolean {
  return (shape.length === 3 || (shape.length === 4 && shape[0] === 1)) && shape.every((d) => d >= 1);
}

/**
 * View a latent of shape `[1, C, H, W]` or `[C, H, W]` (C order) as a column array; its layout
 * already is the column-array layout, so float32 data is shared, not copied.
 * @throws RangeError for any other shape (check with `isLatentShape` first).
 * @example columnArrayFromLatent([1, 4, 64, 64], data) // { channels: 4, rows: 64, columns: 64 }
 */
export function columnArrayFromLatent(shape: readonly number[], data: ArrayLike<number>): ColumnArray {
  if (!isLatentShape(shape)) throw new RangeError(`columnArrayFromLatent: shape (${shape.join(', ')}) is not [1, C, H, W] or [C, H, W]`);
  const [channels, rows, columns] = shape.slice(-3) as [number, number, number];
  const arr = { channels, rows, columns, data: data instanceof Float32Array ? data : Float32Array.from(data) };
  check(arr);
  return arr;
}

/**
 * Columns a (inclusive) to b (exclusive) of every row of every channel.
 * @throws RangeError unless 0 <= a < b <= columns.
 */
export function sliceColumns(arr: ColumnArray, a: number, b: number): ColumnArray {
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > arr.columns || a >= b) {
    throw new RangeError(`sliceColumns: ${a}:${b} is not a non-empty range within 0:${arr.columns}`);
  }
  return joinColumnRanges(arr, [[a, b]]);
}

/**
 * Column ranges `[a, b)` of one array, joined side by side in the order given.
 * @throws RangeError for a range outside the array.
 * @example joinColumnRanges(arr, [[0, 10], [5, 10]]).columns // 15
 */
export function joinColumnRanges(arr: ColumnArray, ranges: ReadonlyArray<readonly [number, number]>): ColumnArray {
  const { channels, rows, columns: width } = arr;
  for (const [a, b] of ranges) {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > width || a > b) {
      throw new RangeError(`joinColumnRanges: range ${a}:${b} outside 0:${width}`);
    }
  }
  const columns = ranges.reduce((n, [a, b]) => n + b - a, 0);
  const data = new Float32Array(channels * rows * columns);
  // Row by row: each row of each channel is contiguous in both arrays.
  for (let k = 0; k < channels * rows; k++) {
    let o = k * columns;
    for (const [a, b] of ranges) {
      data.set(arr.data.subarray(k * width + a, k * width + b), o);
      o += b - a;
    }
  }
  return { channels, rows, columns, data };
}
