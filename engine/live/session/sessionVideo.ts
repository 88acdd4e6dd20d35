import type { ScriptedEvent } from '../eventScript.js';
import { TIMELINE_PLAYHEAD_X, TIMELINE_SPAN_SECONDS, type VisualState, applyVisual, defaultVisuals } from '../../../control/protocol/visualState.js';
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
  /** seconds of the timeline across the frame */
  readonly spanSeconds: number;
  /** where the playhead is, 0..1 of the width (default: the projector's timeline look, 0.3) */
  readonly playheadX?: number;
  /** the projector was blacked out: the frame is black */
  readonly blackout?: boolean;
}

/**
 * One video frame of the scrolling spectrogram at time `t`, drawn like the projector's timeline
 * look (docs/visuals.md): the pictures laid end to end (each stretched over the audio time it
 * played, tempo fitting included), the column heard under a white playhead line at 30 % of the
 * width, what came next to its right, black before the start and after the end and while the
 * projector was blacked out. Pure; writes RGB24 into `out`.
 */
export function renderVideoFrame(pieces: readonly TimelinePiece[], t: number, o: VideoFrameOptions, out: Uint8Array): void {
  out.fill(0);
  if (o.blackout) return;
  const head = Math.floor((o.playheadX ?? TIMELINE_PLAYHEAD_X) * o.width);
  let p = 0;
  for (let x = 0; x < o.width; x++) {
    const time = t + ((x - head) / o.width) * o.spanSeconds;
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
  // the playhead: white at 85 % over the picture, as the projector draws it
  for (let y = 0; y < o.height; y++) {
    const i = (y * o.width + head) * 3;
    for (let c = 0; c < 3; c++) out[i + c] = Math.round(0.85 * 255 + 0.15 * out[i + c]!);
  }
}

/**
 * The projector's settings over a recorded show: the session's look and effect commands applied
 * in order, read at increasing times (one pass over a whole video).
 */
export class VisualTimeline {
  private state: VisualState = defaultVisuals();
  private next = 0;
  private readonly events: readonly ScriptedEvent[];

  constructor(events: readonly ScriptedEvent[]) {
    this.events = [...events].sort((a, b) => a.at - b.at);
  }

  /** The settings at `t` seconds; `t` must not decrease between calls. */
  at(t: number): VisualState {
    while (this.next < this.events.length && this.events[this.next]!.at <= t) {
      const c = this.events[this.next++]!.command;
      if (c.type === 'look' || c.type === 'blackout' || c.type === 'visual') this.state = applyVisual(this.state, c);
    }
    return this.state;
  }
}

/** The frame options of the timeline look at `t`: the span follows `visual.speed`, blackout is black. */
export function videoFrameAt(visuals: VisualState, width: number, height: number): VideoFrameOptions {
  const speed = Number(visuals.effects.speed) || 1;
  return { width, height, spanSeconds: TIMELINE_SPAN_SECONDS / speed, playheadX: TIMELINE_PLAYHEAD_X, blackout: visuals.blackout };
}
