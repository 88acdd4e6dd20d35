import type REGL from 'regl';

/** A segment's picture: an image element (from its URL) or raw RGBA rows, top to bottom. */
export type PictureSource = HTMLImageElement | HTMLCanvasElement | ImageBitmap | { readonly width: number; readonly height: number; readonly data: Uint8Array };

/**
 * The segments' pictures on the GPU, uploaded once when a segment is ready (not when it starts:
 * an upload can take longer than a frame) and bounded to the last `size` segments: older ones
 * are destroyed, so a night-long show holds a fixed amount of video memory.
 */
export class TexturePool {
  private readonly textures = new Map<number, REGL.Texture2D>();

  constructor(private readonly regl: REGL.Regl, private readonly size = 8) {}

  add(segmentId: number, picture: PictureSource): void {
    const data = 'data' in picture ? { width: picture.width, height: picture.height, data: picture.data } : { data: picture as never };
    const existing = this.textures.get(segmentId);
    const options = { ...data, min: 'linear', mag: 'linear', wrapS: 'clamp', wrapT: 'clamp' } as const;
    if (existing) existing(options as REGL.Texture2DOptions);
    else this.textures.set(segmentId, this.regl.texture(options as REGL.Texture2DOptions));
    const ids = [...this.textures.keys()].sort((a, b) => a - b);
    for (const id of ids.slice(0, Math.max(0, ids.length - this.size))) {
      this.textures.get(id)!.destroy();
      this.textures.delete(id);
    }
  }

  get(segmentId: number): REGL.Texture2D | undefined {
    return this.textures.get(segmentId);
  }

  get count(): number {
    return this.textures.size;
  }

  dispose(): void {
    for (const t of this.textures.values()) t.destroy();
    this.textures.clear();
  }
}
