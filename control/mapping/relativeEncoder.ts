/**
 * Endless encoders send steps, not positions, in one of three encodings (the names Ableton Live
 * and most controller editors use). `none`: the control is absolute (a pot or fader).
 */
export const RELATIVE_MODES = ['none', 'signed-bit', 'binary-offset', 'twos-complement'] as const;
export type RelativeMode = (typeof RELATIVE_MODES)[number];

/**
 * The signed step a relative CC value encodes, e.g. one click clockwise: signed-bit 1,
 * binary-offset 65, twos-complement 1; one click anticlockwise: 65, 63, 127.
 * Returns 0 for `none`.
 */
export function relativeStep(mode: RelativeMode, value: number): number {
  switch (mode) {
    case 'none': return 0;
    // bit 6 is the sign, bits 0–5 the size
    case 'signed-bit': return value & 0x40 ? -(value & 0x3f) : value & 0x3f;
    case 'binary-offset': return value - 64;
    case 'twos-complement': return value < 64 ? value : value - 128;
  }
}
