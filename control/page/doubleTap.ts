/**
 * Double tap for the dangerous buttons (source switch, stop): the first tap arms the button
 * (shown as armed), a second tap on the same button within the window fires it. A tap on another
 * dangerous button arms that one instead, so a thumb slipping between two buttons fires neither.
 */
export const DOUBLE_TAP_MS = 600;

export type TapResult = 'armed' | 'fire';

export class DoubleTap {
  private armedKey: string | null = null;
  private armedAtMs = 0;

  constructor(private readonly windowMs = DOUBLE_TAP_MS) {}

  /** A tap on button `key` at `nowMs`: arms it, or fires it if it was armed within the window. */
  tap(key: string, nowMs: number): TapResult {
    if (this.isArmed(key, nowMs)) {
      this.armedKey = null;
      return 'fire';
    }
    this.armedKey = key;
    this.armedAtMs = nowMs;
    return 'armed';
  }

  /** Whether `key` is armed at `nowMs` (the view shows it armed until the window runs out). */
  isArmed(key: string, nowMs: number): boolean {
    return this.armedKey === key && nowMs - this.armedAtMs <= this.windowMs;
  }

  /** The button armed now, if any. */
  armed(nowMs: number): string | null {
    return this.armedKey !== null && this.isArmed(this.armedKey, nowMs) ? this.armedKey : null;
  }
}
