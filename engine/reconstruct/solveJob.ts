import { type GriffinLimChannel, type GriffinLimGeometry, GriffinLimKernel, type InitialPhase, initializePhase } from '../dsp/griffinLim.js';
import { melFilterBank } from '../dsp/melFilterBank.js';
import { MelInverter } from '../dsp/melInverse.js';
import { PhaseGradientScratch, phaseGradientInitialize } from '../dsp/phaseGradient.js';
import { type SpectrogramParams, frameSizes, reconstructionFftSize } from '../spectrogram/params.js';

/**
 * One phase-reconstruction problem, shared by every thread that works on it. Frames
 * [0, lockedFrames) are locked (magnitude and spectrum filled in by the caller); frame t >= lockedFrames
 * takes its magnitude from mel column melStart + t - lockedFrames.
 */
export interface SolveJob {
  readonly params: SpectrogramParams;
  readonly geometry: GriffinLimGeometry;
  readonly channels: ReadonlyArray<{ readonly gl: GriffinLimChannel; readonly mel: Float32Array }>;
  /** columns in each mel array (its width) */
  readonly melColumns: number;
  readonly melStart: number;
  readonly lockedFrames: number;
  readonly init: InitialPhase | 'pghi';
  readonly iterations: number;
  readonly momentum: number;
  readonly seed: number;
}

export type Barrier = () => void;

/** What a thread reports when it stops because another thread of the same job failed. */
export const ABORTED = 'another reconstruction thread failed';

/** Per-thread cache: filter-bank inverse and kernels are costly to build and never change. */
export class SolverContext {
  private inverterKey = '';
  private inverter: MelInverter | undefined;
  private kernelKey = '';
  private kernel: GriffinLimKernel | undefined;
  readonly phaseScratch = new PhaseGradientScratch();

  melInverter(params: SpectrogramParams): MelInverter {
    const key = JSON.stringify(params);
    if (!this.inverter || key !== this.inverterKey) {
      const { nFft } = frameSizes(params);
      const fine = melFilterBank(nFft / 2 + 1, params.numFrequencies, params.minFrequency, params.maxFrequency, params.sampleRate);
      this.inverter = new MelInverter(fine, nFft / reconstructionFftSize(params));
      this.inverterKey = key;
    }
    return this.inverter;
  }

  griffinLimKernel(g: GriffinLimGeometry): GriffinLimKernel {
    const key = JSON.stringify(g);
    if (!this.kernel || key !== this.kernelKey) {
      this.kernel = new GriffinLimKernel(g);
      this.kernelKey = key;
    }
    return this.kernel;
  }
}

function share(total: number, index: number, count: number): [number, number] {
  return [Math.floor((total * index) / count), Math.floor((total * (index + 1)) / count)];
}

/**
 * The part of `job` that thread `index` of `count` does. Every thread calls this with the same job;
 * `barrier` returns once all of them have reached it.
 */
export function runSolve(job: SolveJob, ctx: SolverContext, index: number, count: number, barrier: Barrier): void {
  const g = job.geometry;
  checkJob(job);
  const inverter = ctx.melInverter(job.params);
  const kernel = ctx.griffinLimKernel(g);
  const [t0, t1] = share(g.numFrames, index, count);
  const [i0, i1] = share(g.signalLength, index, count);

  const column = new Float64Array(inverter.numCoarseBins);
  for (const { gl, mel } of job.channels) {
    for (let t = Math.max(t0, job.lockedFrames); t < t1; t++) {
      inverter.invert(mel, job.melStart + t - job.lockedFrames, job.melColumns, column);
      gl.magnitude.set(column.subarray(0, g.bins), t * g.bins);
    }
  }
  barrier();
  // Phase initialisation needs the whole channel: channels are dealt out to threads.
  job.channels.forEach(({ gl }, c) => {
    if (c % count !== index) return;
    if (job.init === 'pghi') phaseGradientInitialize(gl, g, { scratch: ctx.phaseScratch });
    else initializePhase(gl, g, job.init, job.seed + c);
  });
  barrier();
  for (const { gl } of job.channels) kernel.synthesize(gl, t0, t1);
  barrier();
  for (const { gl } of job.channels) kernel.overlapAdd(gl, i0, i1);
  for (let it = 0; it < job.iterations; it++) {
    barrier();
    for (const { gl } of job.channels) {
      kernel.analyze(gl, t0, t1, job.momentum);
      kernel.synthesize(gl, t0, t1);
    }
    barrier();
    for (const { gl } of job.channels) kernel.overlapAdd(gl, i0, i1);
  }
}

/**
 * A barrier for `count` threads on a shared Int32Array(3): [arrived, generation, aborted]. A thread
 * that fails calls `abortBarrier` so the others throw instead of waiting forever.
 */
export function atomicsBarrier(state: Int32Array, count: number): Barrier {
  return () => {
    const generation = Atomics.load(state, 1);
    if (Atomics.add(state, 0, 1) === count - 1) {
      Atomics.store(state, 0, 0);
      Atomics.add(state, 1, 1);
      Atomics.notify(state, 1);
      return;
    }
    while (Atomics.load(state, 1) === generation) {
      if (Atomics.load(state, 2) !== 0) throw new Error(ABORTED);
      Atomics.wait(state, 1, generation, 50);
    }
    // abortBarrier also bumps the generation to wake us: that is not a completed barrier
    if (Atomics.load(state, 2) !== 0) throw new Error(ABORTED);
  };
}

export function abortBarrier(state: Int32Array): void {
  Atomics.store(state, 2, 1);
  Atomics.add(state, 1, 1);
  Atomics.notify(state, 1);
}

/** A malformed job would read past its arrays and produce NaN (or spin): refuse it up front. */
function checkJob(job: SolveJob): void {
  const g = job.geometry;
  const needMel = job.params.numFrequencies * job.melColumns;
  if (job.melStart + g.numFrames - job.lockedFrames > job.melColumns) {
    throw new RangeError(`solve needs ${g.numFrames - job.lockedFrames} mel columns from ${job.melStart}, only ${job.melColumns} given`);
  }
  for (const { gl, mel } of job.channels) {
    if (mel.length < needMel) throw new RangeError(`mel array holds ${mel.length} values, ${needMel} needed`);
    if (gl.magnitude.length < g.numFrames * g.bins || gl.frames.length < g.numFrames * g.windowLength || gl.signal.length < g.signalLength) {
      throw new RangeError('reconstruction buffers are smaller than the geometry');
    }
  }
}
