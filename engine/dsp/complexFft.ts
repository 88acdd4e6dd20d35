/**
 * Mixed-radix complex FFT (Stockham autosort, decimation in frequency) on split real/imaginary
 * arrays. Riffusion's frame sizes are not powers of two (17640 = 2^3 3^2 5 7^2, 4410 = 2 3^2 5 7^2),
 * so radices 2, 3, 4, 5 and 7 have hand-written butterflies; any other prime factor falls back to a
 * generic O(r^2) butterfly. All twiddles are computed once per plan, and `forward` allocates nothing.
 *
 * Stage recurrence (length n, stride s, m = n / r): for p < m, q < s,
 *   a_j = x[q + s (p + j m)],  y[q + s (r p + k)] = w_n^(p k) * sum_j a_j w_r^(j k).
 */
export class ComplexFft {
  readonly size: number;
  private readonly radices: number[];
  /** Per stage: twiddle cos/sin for p < m, k < r (index p * r + k). */
  private readonly twCos: Float64Array[];
  private readonly twSin: Float64Array[];
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;
  private readonly genericCos: Map<number, Float64Array> = new Map();
  private readonly genericSin: Map<number, Float64Array> = new Map();

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`FFT size must be a positive integer, got ${size}`);
    this.size = size;
    this.radices = factorize(size);
    this.twCos = [];
    this.twSin = [];
    let n = size;
    for (const r of this.radices) {
      const m = n / r;
      const c = new Float64Array(m * r);
      const s = new Float64Array(m * r);
      for (let p = 0; p < m; p++) {
        for (let k = 0; k < r; k++) {
          const angle = (-2 * Math.PI * p * k) / n;
          c[p * r + k] = Math.cos(angle);
          s[p * r + k] = Math.sin(angle);
        }
      }
      this.twCos.push(c);
      this.twSin.push(s);
      if (r !== 2 && r !== 3 && r !== 4 && r !== 5 && r !== 7 && !this.genericCos.has(r)) {
        const gc = new Float64Array(r);
        const gs = new Float64Array(r);
        for (let j = 0; j < r; j++) {
          gc[j] = Math.cos((-2 * Math.PI * j) / r);
          gs[j] = Math.sin((-2 * Math.PI * j) / r);
        }
        this.genericCos.set(r, gc);
        this.genericSin.set(r, gs);
      }
      n = m;
    }
    this.workRe = new Float64Array(size);
    this.workIm = new Float64Array(size);
  }

  /**
   * In-place forward DFT, X[k] = sum_n x[n] e^(-2 pi i n k / N). For the inverse, swap the
   * arguments (forward(im, re)) and divide by N: that conjugates in and out for free.
   */
  forward(re: Float64Array, im: Float64Array): void {
    const [outRe, outIm] = this.transform(re, im);
    if (outRe !== re) {
      re.set(outRe);
      im.set(outIm);
    }
  }

  /**
   * Like `forward`, but leaves the result wherever the last stage put it (the inputs or the plan's
   * work buffers, both overwritten) and returns those arrays: saves a copy per transform.
   */
  transform(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
    let xr = re;
    let xi = im;
    let yr = this.workRe;
    let yi = this.workIm;
    let n = this.size;
    let s = 1;
    for (let stage = 0; stage < this.radices.length; stage++) {
      const r = this.radices[stage]!;
      const m = n / r;
      const tc = this.twCos[stage]!;
      const ts = this.twSin[stage]!;
      switch (r) {
        case 2: radix2(xr, xi, yr, yi, m, s, tc, ts); break;
        case 3: radix3(xr, xi, yr, yi, m, s, tc, ts); break;
        case 4: radix4(xr, xi, yr, yi, m, s, tc, ts); break;
        case 5: radix5(xr, xi, yr, yi, m, s, tc, ts); break;
        case 7: radix7(xr, xi, yr, yi, m, s, tc, ts); break;
        default: this.radixGeneric(r, xr, xi, yr, yi, m, s, tc, ts);
      }
      const tr = xr; xr = yr; yr = tr;
      const ti = xi; xi = yi; yi = ti;
      n = m;
      s *= r;
    }
    return [xr, xi];
  }

  private radixGeneric(r: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array,
    m: number, s: number, tc: Float64Array, ts: Float64Array): void {
    const gc = this.genericCos.get(r)!;
    const gs = this.genericSin.get(r)!;
    const sm = s * m;
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < s; q++) {
        const inBase = q + s * p;
        const outBase = q + s * r * p;
        for (let k = 0; k < r; k++) {
          let accR = 0;
          let accI = 0;
          for (let j = 0; j < r; j++) {
            const idx = (j * k) % r;
            const ar = xr[inBase + j * sm]!;
            const ai = xi[inBase + j * sm]!;
            accR += ar * gc[idx]! - ai * gs[idx]!;
            accI += ar * gs[idx]! + ai * gc[idx]!;
          }
          const wr = tc[p * r + k]!;
          const wi = ts[p * r + k]!;
          yr[outBase + s * k] = accR * wr - accI * wi;
          yi[outBase + s * k] = accR * wi + accI * wr;
        }
      }
    }
  }
}

/** Factors with 4s first (fewer stages), then ascending primes. */
export function factorize(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  while (rest % 4 === 0) { out.push(4); rest /= 4; }
  for (let f = 2; rest > 1; f++) {
    while (rest % f === 0) { out.push(f); rest /= f; }
    if (f * f > rest && rest > 1) { out.push(rest); rest = 1; }
  }
  return out;
}

function radix2(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array,
  m: number, s: number, tc: Float64Array, ts: Float64Array): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    // twiddles are all 1 for p = 0 (the whole last stage, where m = 1)
    const twiddled = p !== 0;
    const w1r = tc[p * 2 + 1]!, w1i = ts[p * 2 + 1]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const o0 = q + 2 * s * p;
      const ar = xr[i0]!, ai = xi[i0]!, br = xr[i0 + sm]!, bi = xi[i0 + sm]!;
      yr[o0] = ar + br; yi[o0] = ai + bi;
      const dr = ar - br, di = ai - bi;
      if (twiddled) { yr[o0 + s] = dr * w1r - di * w1i; yi[o0 + s] = dr * w1i + di * w1r; }
      else { yr[o0 + s] = dr; yi[o0 + s] = di; }
    }
  }
}

function radix4(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array,
  m: number, s: number, tc: Float64Array, ts: Float64Array): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    // twiddles are all 1 for p = 0 (the whole last stage, where m = 1)
    const twiddled = p !== 0;
    const b = p * 4;
    const w1r = tc[b + 1]!, w1i = ts[b + 1]!, w2r = tc[b + 2]!, w2i = ts[b + 2]!, w3r = tc[b + 3]!, w3i = ts[b + 3]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const o0 = q + 4 * s * p;
      const a0r = xr[i0]!, a0i = xi[i0]!;
      const a1r = xr[i0 + sm]!, a1i = xi[i0 + sm]!;
      const a2r = xr[i0 + 2 * sm]!, a2i = xi[i0 + 2 * sm]!;
      const a3r = xr[i0 + 3 * sm]!, a3i = xi[i0 + 3 * sm]!;
      const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
      const t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i;
      // y1 = t1 - i t3, y3 = t1 + i t3 (forward transform, w_4 = -i)
      const y1r = t1r + t3i, y1i = t1i - t3r;
      const y2r = t0r - t2r, y2i = t0i - t2i;
      const y3r = t1r - t3i, y3i = t1i + t3r;
      yr[o0] = t0r + t2r; yi[o0] = t0i + t2i;
      if (twiddled) { yr[o0 + s] = y1r * w1r - y1i * w1i; yi[o0 + s] = y1r * w1i + y1i * w1r; }
      else { yr[o0 + s] = y1r; yi[o0 + s] = y1i; }
      if (twiddled) { yr[o0 + 2 * s] = y2r * w2r - y2i * w2i; yi[o0 + 2 * s] = y2r * w2i + y2i * w2r; }
      else { yr[o0 + 2 * s] = y2r; yi[o0 + 2 * s] = y2i; }
      if (twiddled) { yr[o0 + 3 * s] = y3r * w3r - y3i * w3i; yi[o0 + 3 * s] = y3r * w3i + y3i * w3r; }
      else { yr[o0 + 3 * s] = y3r; yi[o0 + 3 * s] = y3i; }
    }
  }
}

const C3 = -0.5;
const S3 = Math.sin((2 * Math.PI) / 3);

function radix3(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array,
  m: number, s: number, tc: Float64Array, ts: Float64Array): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    // twiddles are all 1 for p = 0 (the whole last stage, where m = 1)
    const twiddled = p !== 0;
    const b = p * 3;
    const w1r = tc[b + 1]!, w1i = ts[b + 1]!, w2r = tc[b + 2]!, w2i = ts[b + 2]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const o0 = q + 3 * s * p;
      const a0r = xr[i0]!, a0i = xi[i0]!;
      const a1r = xr[i0 + sm]!, a1i = xi[i0 + sm]!;
      const a2r = xr[i0 + 2 * sm]!, a2i = xi[i0 + 2 * sm]!;
      const tr = a1r + a2r, ti = a1i + a2i, ur = a1r - a2r, ui = a1i - a2i;
      const ar = a0r + C3 * tr, ai = a0i + C3 * ti;
      const br = S3 * ur, bi = S3 * ui;
      // y1 = A - iB, y2 = A + iB
      const y1r = ar + bi, y1i = ai - br, y2r = ar - bi, y2i = ai + br;
      yr[o0] = a0r + tr; yi[o0] = a0i + ti;
      if (twiddled) { yr[o0 + s] = y1r * w1r - y1i * w1i; yi[o0 + s] = y1r * w1i + y1i * w1r; }
      else { yr[o0 + s] = y1r; yi[o0 + s] = y1i; }
      if (twiddled) { yr[o0 + 2 * s] = y2r * w2r - y2i * w2i; yi[o0 + 2 * s] = y2r * w2i + y2i * w2r; }
      else { yr[o0 + 2 * s] = y2r; yi[o0 + 2 * s] = y2i; }
    }
  }
}

const C51 = Math.cos((2 * Math.PI) / 5), C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5), S52 = Math.sin((4 * Math.PI) / 5);

function radix5(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array,
  m: number, s: number, tc: Float64Array, ts: Float64Array): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    // twiddles are all 1 for p = 0 (the whole last stage, where m = 1)
    const twiddled = p !== 0;
    const b = p * 5;
    const w1r = tc[b + 1]!, w1i = ts[b + 1]!, w2r = tc[b + 2]!, w2i = ts[b + 2]!;
    const w3r = tc[b + 3]!, w3i = ts[b + 3]!, w4r = tc[b + 4]!, w4i = ts[b + 4]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const o0 = q + 5 * s * p;
      const a0r = xr[i0]!, a0i = xi[i0]!;
      const a1r = xr[i0 + sm]!, a1i = xi[i0 + sm]!;
      const a2r = xr[i0 + 2 * sm]!, a2i = xi[i0 + 2 * sm]!;
      const a3r = xr[i0 + 3 * sm]!, a3i = xi[i0 + 3 * sm]!;
      const a4r = xr[i0 + 4 * sm]!, a4i = xi[i0 + 4 * sm]!;
      const t1r = a1r + a4r, t1i = a1i + a4i, u1r = a1r - a4r, u1i = a1i - a4i;
      const t2r = a2r + a3r, t2i = a2i + a3i, u2r = a2r - a3r, u2i = a2i - a3i;
      const A1r = a0r + C51 * t1r + C52 * t2r, A1i = a0i + C51 * t1i + C52 * t2i;
      const A2r = a0r + C52 * t1r + C51 * t2r, A2i = a0i + C52 * t1i + C51 * t2i;
      const B1r = S51 * u1r + S52 * u2r, B1i = S51 * u1i + S52 * u2i;
      const B2r = S52 * u1r - S51 * u2r, B2i = S52 * u1i - S51 * u2i;
      const y1r = A1r + B1i, y1i = A1i - B1r, y4r = A1r - B1i, y4i = A1i + B1r;
      const y2r = A2r + B2i, y2i = A2i - B2r, y3r = A2r - B2i, y3i = A2i + B2r;
      yr[o0] = a0r + t1r + t2r; yi[o0] = a0i + t1i + t2i;
      if (twiddled) { yr[o0 + s] = y1r * w1r - y1i * w1i; yi[o0 + s] = y1r * w1i + y1i * w1r; }
      else { yr[o0 + s] = y1r; yi[o0 + s] = y1i; }
      if (twiddled) { yr[o0 + 2 * s] = y2r * w2r - y2i * w2i; yi[o0 + 2 * s] = y2r * w2i + y2i * w2r; }
      else { yr[o0 + 2 * s] = y2r; yi[o0 + 2 * s] = y2i; }
      if (twiddled) { yr[o0 + 3 * s] = y3r * w3r - y3i * w3i; yi[o0 + 3 * s] = y3r * w3i + y3i * w3r; }
      else { yr[o0 + 3 * s] = y3r; yi[o0 + 3 * s] = y3i; }
      if (twiddled) { yr[o0 + 4 * s] = y4r * w4r - y4i * w4i; yi[o0 + 4 * s] = y4r * w4i + y4i * w4r; }
      else { yr[o0 + 4 * s] = y4r; yi[o0 + 4 * s] = y4i; }
    }
  }
}

const C71 = Math.cos((2 * Math.PI) / 7), C72 = Math.cos((4 * Math.PI) / 7), C73 = Math.cos((6 * Math.PI) / 7);
const S71 = Math.sin((2 * Math.PI) / 7), S72 = Math.sin((4 * Math.PI) / 7), S73 = Math.sin((6 * Math.PI) / 7);

function radix7(xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array,
  m: number, s: number, tc: Float64Array, ts: Float64Array): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    // twiddles are all 1 for p = 0 (the whole last stage, where m = 1)
    const twiddled = p !== 0;
    const b = p * 7;
    const w1r = tc[b + 1]!, w1i = ts[b + 1]!, w2r = tc[b + 2]!, w2i = ts[b + 2]!, w3r = tc[b + 3]!, w3i = ts[b + 3]!;
    const w4r = tc[b + 4]!, w4i = ts[b + 4]!, w5r = tc[b + 5]!, w5i = ts[b + 5]!, w6r = tc[b + 6]!, w6i = ts[b + 6]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const o0 = q + 7 * s * p;
      const a0r = xr[i0]!, a0i = xi[i0]!;
      const a1r = xr[i0 + sm]!, a1i = xi[i0 + sm]!;
      const a2r = xr[i0 + 2 * sm]!, a2i = xi[i0 + 2 * sm]!;
      const a3r = xr[i0 + 3 * sm]!, a3i = xi[i0 + 3 * sm]!;
      const a4r = xr[i0 + 4 * sm]!, a4i = xi[i0 + 4 * sm]!;
      const a5r = xr[i0 + 5 * sm]!, a5i = xi[i0 + 5 * sm]!;
      const a6r = xr[i0 + 6 * sm]!, a6i = xi[i0 + 6 * sm]!;
      const t1r = a1r + a6r, t1i = a1i + a6i, u1r = a1r - a6r, u1i = a1i - a6i;
      const t2r = a2r + a5r, t2i = a2i + a5i, u2r = a2r - a5r, u2i = a2i - a5i;
      const t3r = a3r + a4r, t3i = a3i + a4i, u3r = a3r - a4r, u3i = a3i - a4i;
      // A_k = a0 + sum_j t_j cos(2 pi j k / 7), B_k = sum_j u_j sin(2 pi j k / 7); y_k = A_k - i B_k
      const A1r = a0r + C71 * t1r + C72 * t2r + C73 * t3r, A1i = a0i + C71 * t1i + C72 * t2i + C73 * t3i;
      const A2r = a0r + C72 * t1r + C73 * t2r + C71 * t3r, A2i = a0i + C72 * t1i + C73 * t2i + C71 * t3i;
      const A3r = a0r + C73 * t1r + C71 * t2r + C72 * t3r, A3i = a0i + C73 * t1i + C71 * t2i + C72 * t3i;
      const B1r = S71 * u1r + S72 * u2r + S73 * u3r, B1i = S71 * u1i + S72 * u2i + S73 * u3i;
      const B2r = S72 * u1r - S73 * u2r - S71 * u3r, B2i = S72 * u1i - S73 * u2i - S71 * u3i;
      const B3r = S73 * u1r - S71 * u2r + S72 * u3r, B3i = S73 * u1i - S71 * u2i + S72 * u3i;
      const y1r = A1r + B1i, y1i = A1i - B1r, y6r = A1r - B1i, y6i = A1i + B1r;
      const y2r = A2r + B2i, y2i = A2i - B2r, y5r = A2r - B2i, y5i = A2i + B2r;
      const y3r = A3r + B3i, y3i = A3i - B3r, y4r = A3r - B3i, y4i = A3i + B3r;
      yr[o0] = a0r + t1r + t2r + t3r; yi[o0] = a0i + t1i + t2i + t3i;
      if (twiddled) { yr[o0 + s] = y1r * w1r - y1i * w1i; yi[o0 + s] = y1r * w1i + y1i * w1r; }
      else { yr[o0 + s] = y1r; yi[o0 + s] = y1i; }
      if (twiddled) { yr[o0 + 2 * s] = y2r * w2r - y2i * w2i; yi[o0 + 2 * s] = y2r * w2i + y2i * w2r; }
      else { yr[o0 + 2 * s] = y2r; yi[o0 + 2 * s] = y2i; }
      if (twiddled) { yr[o0 + 3 * s] = y3r * w3r - y3i * w3i; yi[o0 + 3 * s] = y3r * w3i + y3i * w3r; }
      else { yr[o0 + 3 * s] = y3r; yi[o0 + 3 * s] = y3i; }
      if (twiddled) { yr[o0 + 4 * s] = y4r * w4r - y4i * w4i; yi[o0 + 4 * s] = y4r * w4i + y4i * w4r; }
      else { yr[o0 + 4 * s] = y4r; yi[o0 + 4 * s] = y4i; }
      if (twiddled) { yr[o0 + 5 * s] = y5r * w5r - y5i * w5i; yi[o0 + 5 * s] = y5r * w5i + y5i * w5r; }
      else { yr[o0 + 5 * s] = y5r; yi[o0 + 5 * s] = y5i; }
      if (twiddled) { yr[o0 + 6 * s] = y6r * w6r - y6i * w6i; yi[o0 + 6 * s] = y6r * w6i + y6i * w6r; }
      else { yr[o0 + 6 * s] = y6r; yi[o0 + 6 * s] = y6i; }
    }
  }
}
