/**
 * An 8-bit RGB raster: `rgb` holds 3 bytes per pixel, row-major, row 0 at the top.
 * The common currency between PNG I/O and the spectrogram <-> image conversions.
 */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}
