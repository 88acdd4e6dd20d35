import { PNG } from 'pngjs';
import type { Picture } from '../protocol/state.js';

/**
 * The pictures of the last segments, served as `/segments/<id>.png` to the projector and the
 * page. Bounded: a long show keeps `capacity` pictures, not all of them. Encoded on the first
 * request and kept, so ten screens cost one encode.
 */
export class SegmentPictures {
  private readonly pictures = new Map<number, { picture: Picture; png?: Buffer }>();

  constructor(private readonly capacity = 24) {}

  add(segmentId: number, picture: Picture): void {
    this.pictures.delete(segmentId);
    this.pictures.set(segmentId, { picture });
    while (this.pictures.size > this.capacity) this.pictures.delete(this.pictures.keys().next().value!);
  }

  /** The PNG of a segment, or null once it has been dropped (or never existed). */
  png(segmentId: number): Buffer | null {
    const entry = this.pictures.get(segmentId);
    if (entry === undefined) return null;
    entry.png ??= encodePng(entry.picture);
    return entry.png;
  }

  clear(): void {
    this.pictures.clear();
  }
}

function encodePng({ width, height, rgb }: Picture): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    png.data[i * 4] = rgb[j]!;
    png.data[i * 4 + 1] = rgb[j + 1]!;
    png.data[i * 4 + 2] = rgb[j + 2]!;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2 });
}
