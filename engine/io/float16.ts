/**
 * IEEE 754 binary32 -> binary16 bits, rounding to nearest even (as numpy's astype(float16) and
 * torch's .half() do); overflow gives infinity, NaN stays NaN.
 * @example toFloat16Bits(Float32Array.of(1, -2, 65504)) // Uint16Array [0x3c00, 0xc000, 0x7bff]
 */
export function toFloat16Bits(src: Float32Array): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const out = new Uint16Array(src.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    let mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15;
    if (e >= 31) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      if (e < -10) { out[i] = sign; continue; }
      mantissa |= 0x800000; // subnormal half: the implicit bit becomes explicit
      const shift = 14 - e;
      let h = mantissa >>> shift;
      const rest = mantissa & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rest > half || (rest === half && (h & 1))) h++;
      out[i] = sign | h;
    } else {
      let h = (e << 10) | (mantissa >>> 13);
      const rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++; // a carry rolls into the exponent, as it should
      out[i] = sign | h;
    }
  }
  return out;
}

/** IEEE 754 binary16 bits -> the number they encode (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
