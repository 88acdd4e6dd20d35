import type { RgbImage } from '../../io/rgbImage.js';

/** One played stretch of the session: a picture and the audio time it occupied. */
export interface TimelinePiece {
  readonly picture: RgbImage;
  /** seconds */
  readonly start: number;
  readonly duration: number;
}

export interface VideoFrameOptions {
  readonly width: number;
  readonly height: number;
  /** seconds of the timeline across the frame (the playhead is in the middle) */
  readonly spanSeconds: number;
}

/**
 * One video frame of the scrolling spectrogram at time `t`: the timeline's pictures laid end to
 * end (each stretched over the audio time it played, tempo fitting included), the playhead in the
 * middle, black before the start and after the end. Pure; writes RGB24 into `out`.
 */
export function renderVideoFrame(pieces: readonly TimelinePiece[], t: number, o: VideoFrameOptions, out: Uint8Array): void {
  out.fill(0);
  let p = 0;
  for (let x = 0; x < o.width; x++) {
    const time = t + ((x - o.width / 2) / o.width) * o.spanSeconds;
    if (time < 0) continue;
    while (p > 0 && time < pieces[p]!.start) p--;
    while (p < pieces.length - 1 && time >= pieces[p]!.start + pieces[p]!.duration) p++;
    const piece = pieces[p];
    if (!piece || time < piece.start || time >= piece.start + piece.duration) continue;
    const { picture } = piece;
    const column = Math.min(picture.width - 1, Math.floor(((time - piece.start) / piece.duration) * picture.width));
    for (let y = 0; y < o.height; y++) {
      const row = Math.min(picture.height - 1, Math.floor((y * picture.height) / o.height));
      const src = (row * picture.width + column) * 3, dst = (y * o.width + x) * 3;
      out[dst] = picture.rgb[src]!;
      out[dst + 1] = picture.rgb[src + 1]!;
      out[dst + 2] = picture.rgb[src + 2]!;
    }
  }
  // the playhead
  const mid = Math.floor(o.width / 2);
  for (let y = 0; y < o.height; y++) {
    const i = (y * o.width + mid) * 3;
    out[i] = 255; out[i + 1] = 64; out[i + 2] = 64;
  }
}
