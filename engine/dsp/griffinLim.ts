import { RealFft } from './realFft.js';
import { hannWindow } from './window.js';

/**
 * Fast Griffin-Lim (Perraudin, Balazs & Sondergaard 2013, "A fast Griffin-Lim algorithm"):
 *   c_n = P_C(P_A(t_{n-1})),  t_n = c_n + alpha (c_n - c_{n-1}),
 * P_A = keep the phase, impose the target magnitude; P_C = STFT(ISTFT(.)) (consistency).
 *
 * The work is split into three phases so that several threads can share one problem:
 *   synthesize (per frame) -> barrier -> overlapAdd (per sample) -> barrier -> analyze (per frame).
 * Frames can be `locked`: their spectrum is held fixed, which is how a solve continues the phase
 * of audio that has already been played (see StreamingReconstructor).
 *
 * Geometry: frame t's window covers signal[t hop, t hop + W) (circular: modulo T hop). The FFT frame
 * has size F >= W with the window centred at (F - W) / 2; with F = W (Riffusion: 4410, see
 * MelInverter) the transforms are 4x smaller than the 17640-point analysis FFT.
 */
export interface GriffinLimGeometry {
  readonly numFrames: number;
  readonly fftSize: number;
  readonly windowLength: number;
  readonly hopLength: number;
  readonly bins: number;
  readonly circular: boolean;
  readonly signalLength: number;
  /** bins at or above this index have zero target magnitude everywhere (above the mel range) */
  readonly activeBins: number;
}

export function griffinLimGeometry(numFrames: number, fftSize: number, windowLength: number, hopLength: number,
  options: { circular?: boolean; activeBins?: number } = {}): GriffinLimGeometry {
  const circular = options.circular ?? false;
  const bins = fftSize / 2 + 1;
  if (windowLength > fftSize || (fftSize - windowLength) % 2 !== 0) {
    throw new RangeError(`window ${windowLength} must fit centred in the FFT frame ${fftSize}`);
  }
  const signalLength = circular ? numFrames * hopLength : (numFrames - 1) * hopLength + windowLength;
  if (circular && signalLength < windowLength) throw new RangeError('a circular signal must be at least one window long');
  const activeBins = Math.min(bins, options.activeBins ?? bins);
  return { numFrames, fftSize, windowLength, hopLength, bins, circular, signalLength, activeBins };
}

/** One channel's problem state. Typed arrays may sit on SharedArrayBuffers so workers can share them. */
export interface GriffinLimChannel {
  /** target magnitude, [frame * bins + bin] */
  readonly magnitude: Float32Array;
  /** current estimate P_A(t_n), [frame * bins + bin] */
  readonly specRe: Float32Array;
  readonly specIm: Float32Array;
  /** c_{n-1} for the momentum term */
  readonly prevRe: Float32Array;
  readonly prevIm: Float32Array;
  /** windowed synthesized frames, [frame * W + m] */
  readonly frames: Float32Array;
  /** reconstructed signal, signalLength samples */
  readonly signal: Float64Array;
  /** 1 = spectrum fixed */
  readonly locked: Uint8Array;
}

export function allocateChannel(g: GriffinLimGeometry, shared: boolean): GriffinLimChannel {
  const f32 = (n: number) => new Float32Array(shared ? new SharedArrayBuffer(n * 4) : new ArrayBuffer(n * 4));
  const tb = g.numFrames * g.bins;
  return {
    magnitude: f32(tb), specRe: f32(tb), specIm: f32(tb), prevRe: f32(tb), prevIm: f32(tb),
    frames: f32(g.numFrames * g.windowLength),
    signal: new Float64Array(shared ? new SharedArrayBuffer(g.signalLength * 8) : new ArrayBuffer(g.signalLength * 8)),
    locked: new Uint8Array(shared ? new SharedArrayBuffer(g.numFrames) : new ArrayBuffer(g.numFrames)),
  };
}

/** 1 / sum_t w^2(i - t hop): the least-squares ISTFT normalisation (torch.istft's window envelope). */
export function inverseEnvelope(g: GriffinLimGeometry): Float64Array {
  const w = hannWindow(g.windowLength);
  const env = new Float64Array(g.signalLength);
  for (let t = 0; t < g.numFrames; t++) {
    for (let m = 0; m < g.windowLength; m++) {
      const i = (t * g.hopLength + m) % g.signalLength;
      env[i]! += w[m]! * w[m]!;
    }
  }
  const tiny = 1e-8;
  for (let i = 0; i < env.length; i++) env[i] = env[i]! > tiny ? 1 / env[i]! : 0;
  return env;
}

/** Per-thread transforms and scratch; the phases only touch the ranges they are given. */
export class GriffinLimKernel {
  readonly geometry: GriffinLimGeometry;
  private readonly fft: RealFft;
  private readonly window: Float64Array;
  private readonly invEnvelope: Float64Array;
  private readonly offset: number;
  // Synthesis and analysis keep separate scratch: synthesis relies on zeros above activeBins and
  // analysis on zeros outside the window, and each transform would overwrite the other's.
  private readonly synBuf: Float64Array;
  private readonly synRe: Float64Array;
  private readonly synIm: Float64Array;
  private readonly anaBuf: Float64Array;
  private readonly anaRe: Float64Array;
  private readonly anaIm: Float64Array;

  constructor(g: GriffinLimGeometry, invEnvelope: Float64Array = inverseEnvelope(g)) {
    this.geometry = g;
    this.fft = new RealFft(g.fftSize);
    this.window = hannWindow(g.windowLength);
    this.invEnvelope = invEnvelope;
    this.offset = (g.fftSize - g.windowLength) / 2;
    this.synBuf = new Float64Array(g.fftSize);
    this.synRe = new Float64Array(g.bins);
    this.synIm = new Float64Array(g.bins);
    this.anaBuf = new Float64Array(g.fftSize);
    this.anaRe = new Float64Array(g.bins);
    this.anaIm = new Float64Array(g.bins);
  }

  /** frames[t] = window * IFFT(spec[t]) for t in [t0, t1) */
  synthesize(ch: GriffinLimChannel, t0: number, t1: number): void {
    const { bins, windowLength: W, activeBins } = this.geometry;
    const re = this.synRe, im = this.synIm, buf = this.synBuf, w = this.window, off = this.offset, fft = this.fft;
    const specRe = ch.specRe, specIm = ch.specIm, frames = ch.frames;
    for (let t = t0; t < t1; t++) {
      const base = t * bins;
      // bins >= activeBins stay zero in the scratch arrays
      for (let k = 0; k < activeBins; k++) { re[k] = specRe[base + k]!; im[k] = specIm[base + k]!; }
      const fBase = t * W;
      if (off === 0) {
        fft.inverseWindowed(re, im, w, frames, fBase);
      } else {
        fft.inverse(re, im, buf);
        for (let m = 0; m < W; m++) frames[fBase + m] = buf[off + m]! * w[m]!;
      }
    }
  }

  /** signal[i] = sum of overlapping frames, normalised by the window envelope, for i in [i0, i1) */
  overlapAdd(ch: GriffinLimChannel, i0: number, i1: number): void {
    const { hopLength: hop, windowLength: W, numFrames: T, signalLength: L, circular } = this.geometry;
    const env = this.invEnvelope, frames = ch.frames, sig = ch.signal;
    sig.fill(0, i0, i1);
    // Frame by frame (contiguous runs, fast) over the frames that touch [i0, i1); a circular
    // signal also gets the frames that wrap around its end.
    const first = Math.max(0, Math.ceil((i0 - W + 1) / hop));
    const last = Math.min(T - 1, Math.floor((i1 - 1) / hop));
    for (let t = first; t <= last; t++) addClipped(sig, frames, t * W, t * hop, W, i0, i1);
    if (circular) {
      for (let t = 0; t < T; t++) {
        const start = t * hop;
        if (start + W > L) addClipped(sig, frames, t * W, start - L, W, i0, i1);
      }
    }
    for (let i = i0; i < i1; i++) sig[i]! *= env[i]!;
  }

  /** Analyse frames [t0, t1) of the signal, apply the momentum step and impose the magnitude. */
  analyze(ch: GriffinLimChannel, t0: number, t1: number, momentum: number): void {
    const { bins, windowLength: W, hopLength: hop, signalLength: L, activeBins } = this.geometry;
    const re = this.anaRe, im = this.anaIm, buf = this.anaBuf, w = this.window, off = this.offset, sig = ch.signal, fft = this.fft;
    const prevRe = ch.prevRe, prevIm = ch.prevIm, specRe = ch.specRe, specIm = ch.specIm, mag = ch.magnitude, locked = ch.locked;
    for (let t = t0; t < t1; t++) {
      if (locked[t]) continue;
      const s0 = t * hop;
      if (off === 0 && s0 + W <= L) {
        fft.forwardWindowed(sig, s0, w, re, im);
      } else {
        for (let m = 0; m < W; m++) buf[off + m] = sig[(s0 + m) % L]! * w[m]!;
        fft.forward(buf, re, im);
      }
      const base = t * bins;
      for (let k = 0; k < activeBins; k++) {
        const i = base + k;
        const cr = re[k]!, ci = im[k]!;
        const tr = cr + momentum * (cr - prevRe[i]!);
        const ti = ci + momentum * (ci - prevIm[i]!);
        prevRe[i] = cr;
        prevIm[i] = ci;
        const norm = Math.sqrt(tr * tr + ti * ti);
        const a = mag[i]!;
        if (norm > 1e-20) {
          const scale = a / norm;
          specRe[i] = tr * scale;
          specIm[i] = ti * scale;
        } else {
          specRe[i] = a;
          specIm[i] = 0;
        }
      }
    }
  }
}

/** sig[start + m] += frames[base + m] for the m in [0, W) that land inside [i0, i1) */
function addClipped(sig: Float64Array, frames: Float32Array, base: number, start: number, W: number, i0: number, i1: number): void {
  const m0 = Math.max(0, i0 - start), m1 = Math.min(W, i1 - start);
  for (let m = m0; m < m1; m++) sig[start + m]! += frames[base + m]!;
}

export type InitialPhase = 'zero' | 'random';

/** spec = magnitude * e^(i phi0) for unlocked frames; random phases come from a seeded generator. */
export function initializePhase(ch: GriffinLimChannel, g: GriffinLimGeometry, mode: InitialPhase, seed = 1): void {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: deterministic, the same phases on every platform
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  for (let t = 0; t < g.numFrames; t++) {
    if (ch.locked[t]) continue;
    const base = t * g.bins;
    for (let k = 0; k < g.bins; k++) {
      const a = ch.magnitude[base + k]!;
      if (mode === 'zero') {
        ch.specRe[base + k] = a;
        ch.specIm[base + k] = 0;
      } else {
        const phi = 2 * Math.PI * next();
        ch.specRe[base + k] = a * Math.cos(phi);
        ch.specIm[base + k] = a * Math.sin(phi);
      }
      ch.prevRe[base + k] = 0;
      ch.prevIm[base + k] = 0;
    }
  }
}

/** Single-threaded driver: `iterations` consistency steps, then the final synthesis into ch.signal. */
export function runGriffinLim(kernel: GriffinLimKernel, channels: GriffinLimChannel[], iterations: number, momentum: number): void {
  const g = kernel.geometry;
  for (const ch of channels) {
    kernel.synthesize(ch, 0, g.numFrames);
    kernel.overlapAdd(ch, 0, g.signalLength);
    for (let it = 0; it < iterations; it++) {
      kernel.analyze(ch, 0, g.numFrames, momentum);
      kernel.synthesize(ch, 0, g.numFrames);
      kernel.overlapAdd(ch, 0, g.signalLength);
    }
  }
}
