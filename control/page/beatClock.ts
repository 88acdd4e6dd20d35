import type { TransportState } from '../protocol/state.js';

/**
 * Where the music is between the server's clock messages (~20 a second): the page predicts the
 * heard frame from the last clock and the browser's own monotonic clock, so the beat light and the
 * playhead move smoothly at 60 frames a second and survive a late or dropped message.
 */

/** The last clock message and when (performance.now(), ms) it arrived. */
export interface ClockAnchor {
  readonly frame: number;
  readonly sampleRate: number;
  readonly receivedMs: number;
  /** whether the heard frame moved since the message before (not before the first segment plays) */
  readonly moving: boolean;
}

/**
 * How far past the last clock message the page keeps predicting: if the server stops talking
 * (a busy event loop, a dropped socket) the light freezes rather than run on a guess for ever.
 */
export const MAX_PREDICT_MS = 1500;

/**
 * Takes a clock message unless it is older than the one held: messages queued behind a busy
 * page arrive in a burst, and only the newest says where the music is. A message with the same
 * frame says the clock stands still (nothing playing yet): prediction stops until it moves.
 */
export function acceptClock(anchor: ClockAnchor | null, frame: number, sampleRate: number, nowMs: number): ClockAnchor {
  const sameShow = anchor !== null && sampleRate === anchor.sampleRate;
  if (sameShow && frame < anchor.frame) return anchor;
  return { frame, sampleRate, receivedMs: nowMs, moving: sameShow && frame > anchor.frame };
}

/** The output frame heard at `nowMs` (performance.now()), predicted from the anchor. */
export function predictFrame(anchor: ClockAnchor, nowMs: number): number {
  if (!anchor.moving) return anchor.frame;
  const elapsed = Math.min(Math.max(nowMs - anchor.receivedMs, 0), MAX_PREDICT_MS);
  return anchor.frame + (elapsed / 1000) * anchor.sampleRate;
}

/** A prediction this far ahead of a newer clock is held rather than shown going back. */
export const HOLD_BACK_SECONDS = 0.3;

/**
 * The frame to show: the prediction, except that a small step back (the prediction ran a little
 * ahead of the next clock message) is held until the music catches up, so the playhead and the
 * beat light never twitch backwards. A big step back (a seek, a new show) is shown at once.
 */
export function steadyFrame(predicted: number, shown: number | null, sampleRate: number): number {
  if (shown === null || predicted >= shown) return predicted;
  return shown - predicted < HOLD_BACK_SECONDS * sampleRate ? shown : predicted;
}

/** A position in the music: bar and beat 1-based, phase 0..1 within the beat. */
export interface BeatPosition {
  readonly bar: number;
  readonly beat: number;
  readonly phase: number;
}

/**
 * The transport's position at `frame`, given the transport as it was at `stateFrame` (the state's
 * `frame`). Assumes the tempo held since, which it does until the next state message says not.
 */
export function beatAt(transport: TransportState, stateFrame: number, frame: number, sampleRate: number): BeatPosition {
  const beatsSince = ((frame - stateFrame) / sampleRate) * (transport.bpm / 60);
  const beatsPerBar = Math.max(1, transport.beatsPerBar);
  // beats counted from the downbeat of the state's bar (0-based), so bars carry over
  const total = transport.beat - 1 + transport.phase + beatsSince;
  const whole = Math.floor(total);
  const barOffset = Math.floor(whole / beatsPerBar);
  return {
    bar: Math.max(1, transport.bar + barOffset),
    beat: whole - barOffset * beatsPerBar + 1,
    phase: total - whole,
  };
}

/** How far the playhead is across the picture of the segment playing: 0..1 (repeats wrap). */
export function playheadPosition(startFrame: number, segmentFrames: number, frame: number): number {
  if (!(segmentFrames > 0)) return 0;
  const p = (frame - startFrame) / segmentFrames;
  if (p < 0) return 0;
  return p - Math.floor(p);
}
