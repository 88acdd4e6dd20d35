/**
 * Fader curves on the 0–1 range. `exponential` spends most of the travel on the low end (a level
 * or a frequency by ear), `logarithmic` on the high end; each is the other's inverse, so LED
 * feedback (value to knob position) is exact.
 */
export const CURVES = ['linear', 'exponential', 'logarithmic'] as const;
export type Curve = (typeof CURVES)[number];

/** Steepness: the exponential curve's slope grows 100-fold from one end to the other (40 dB). */
const RATIO = 100;
const LN_RATIO = Math.log(RATIO);

/** Knob position (0–1) to the share of the mapping's range (0–1). */
export function applyCurve(curve: Curve, position: number): number {
  const x = clamp01(position);
  switch (curve) {
    case 'linear': return x;
    case 'exponential': return (Math.exp(LN_RATIO * x) - 1) / (RATIO - 1);
    case 'logarithmic': return Math.log1p(x * (RATIO - 1)) / LN_RATIO;
  }
}

/** The inverse of `applyCurve`: share of the range (0–1) to knob position (0–1). */
export function invertCurve(curve: Curve, share: number): number {
  return applyCurve(inverseOf(curve), share);
}

function inverseOf(curve: Curve): Curve {
  return curve === 'exponential' ? 'logarithmic' : curve === 'logarithmic' ? 'exponential' : 'linear';
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : Number.isNaN(x) ? 0 : x;
}
