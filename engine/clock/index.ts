/**
 * The musical clock: transport (frames ↔ beats, bars, launch boundaries), tap tempo, external
 * clock tempo smoothing and phase following. Pure maths; time comes in as arguments.
 */
export { PhaseFollower, wrapPhase, type PhaseFollowerOptions } from './phaseFollower.js';
export { barsInQuantum, beatsInQuantum, GRID_QUANTA, isGridQuantum, QUANTA, type GridQuantum, type Quantum } from './quantum.js';
export { TapTempo, type TapResult, type TapTempoOptions } from './tapTempo.js';
export { RETIME_TOLERANCE, tempoChangeKind } from './tempoChangeKind.js';
export { TempoSmoother, type TempoSmootherOptions } from './tempoSmoother.js';
export { CLOCK_SOURCES, Transport, type ClockSourceKind, type TransportOptions, type TransportPosition } from './transport.js';
export type { Beats, BPM, Hertz, Samples, Seconds } from './units.js';
export { MAX_BEATS_PER_BAR, MAX_BPM, MIN_BPM } from './validate.js';
