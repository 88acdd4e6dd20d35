import { type GriffinLimChannel, type GriffinLimGeometry, allocateChannel, griffinLimGeometry } from '../dsp/griffinLim.js';
import { UserError } from '../errors.js';
import { type SpectrogramParams, frameSizes, reconstructionFftSize } from '../spectrogram/params.js';
import type { ReconstructionPool } from './reconstructionPool.js';
import { sliceMelColumns } from './melColumns.js';
import { resolvePhaseOptions } from './phaseOptions.js';
import { type StreamingOptions, StreamingReconstructor } from './streamingReconstructor.js';

export interface ReconstructOptions extends StreamingOptions {
  /**
   * columns solved at once; wider images are reconstructed in overlapping chunks (default 512:
   * keeps a 60 s stereo image well under 500 MB resident)
   */
  readonly chunkColumns?: number;
  /** called after each chunk with the fraction of columns done (0..1) */
  readonly onProgress?: (fraction: number) => void;
  /**
   * Treat the image as one period of a loop: the STFT wraps around, and the output is exactly
   * hop * columns samples that repeat without a click. Default false (Riffusion's length,
   * hop * (columns - 1)).
   */
  readonly circular?: boolean;
}

/**
 * Mel magnitudes (one Float32Array per channel, [mel * numColumns + column]) -> audio channels at
 * params.sampleRate, not normalised.
 */
export async function reconstructAudio(mel: Float32Array[], numColumns: number, params: SpectrogramParams,
  pool: ReconstructionPool, options: ReconstructOptions = {}): Promise<Float32Array[]> {
  if (options.circular) return reconstructLoop(mel, numColumns, params, pool, options);
  const chunk = Math.max(1, options.chunkColumns ?? 512);
  const stream = new StreamingReconstructor(mel.length, params, pool, options);
  const parts: Float32Array[][] = [];
  for (let c0 = 0; c0 < numColumns; c0 += chunk) {
    const c1 = Math.min(numColumns, c0 + chunk);
    parts.push(await stream.push(mel.map((m) => sliceMelColumns(m, numColumns, c0, c1, params.numFrequencies)), c1 - c0));
    options.onProgress?.(c1 / numColumns);
  }
  parts.push(stream.flush());
  return mel.map((_, c) => concat(parts.map((p) => p[c]!)));
}

async function reconstructLoop(mel: Float32Array[], numColumns: number, params: SpectrogramParams,
  pool: ReconstructionPool, options: ReconstructOptions, buffers?: LoopBuffers): Promise<Float32Array[]> {
  const { hopLength, winLength } = frameSizes(params);
  if (numColumns * hopLength < winLength) {
    throw new UserError(`a loop needs at least ${Math.ceil(winLength / hopLength)} columns (one ${params.windowDurationMs} ms window); this image has ${numColumns}`);
  }
  const g = griffinLimGeometry(numColumns, reconstructionFftSize(params), winLength, hopLength, { circular: true });
  const channels = buffers ? buffers.take(mel.length, g) : mel.map(() => allocateChannel(g, true));
  await pool.solve({
    params, geometry: g, melColumns: numColumns, melStart: 0, lockedFrames: 0,
    channels: channels.map((gl, c) => ({ gl, mel: mel[c]! })),
    ...resolvePhaseOptions(options),
  });
  options.onProgress?.(1);
  // sample 0 = centre of frame 0, as in the non-circular output
  const L = g.signalLength, half = winLength >> 1;
  return channels.map((ch) => {
    const out = new Float32Array(L);
    for (let n = 0; n < L; n++) out[n] = ch.signal[(n + half) % L]!;
    return out;
  });
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Problem buffers kept for the next loop: shared memory handed to the worker threads is only freed
 * once every thread has collected its references, which idle workers may not do for a long time,
 * so a live engine that reconstructs a segment every few seconds must reuse them. Grow-only.
 * Use one per sequential caller: two reconstructions at once must not share it.
 */
export class LoopBuffers {
  private channels: GriffinLimChannel[] = [];
  private capacity = { frames: 0, bins: 0, window: 0, signal: 0 };

  take(count: number, g: GriffinLimGeometry): GriffinLimChannel[] {
    const c = this.capacity;
    if (this.channels.length < count || c.frames * c.bins < g.numFrames * g.bins || c.frames * c.window < g.numFrames * g.windowLength || c.signal < g.signalLength) {
      // allocate for a little more than asked, so small changes in width do not reallocate
      const frames = Math.ceil(g.numFrames * 1.25);
      const roomy = griffinLimGeometry(frames, g.fftSize, g.windowLength, g.hopLength, { circular: g.circular, activeBins: g.activeBins });
      this.channels = Array.from({ length: Math.max(count, this.channels.length) }, () => allocateChannel(roomy, true));
      this.capacity = { frames, bins: roomy.bins, window: roomy.windowLength, signal: roomy.signalLength };
    }
    return this.channels.slice(0, count);
  }
}

/** A loop (circular) reconstruction reusing `buffers`: see LoopBuffers. */
export function reconstructLoopInto(buffers: LoopBuffers, mel: Float32Array[], numColumns: number, params: SpectrogramParams,
  pool: ReconstructionPool, options: ReconstructOptions = {}): Promise<Float32Array[]> {
  return reconstructLoop(mel, numColumns, params, pool, options, buffers);
}
