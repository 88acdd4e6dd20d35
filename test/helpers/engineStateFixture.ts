import type { EngineState } from '../../control/protocol/state.js';
import { defaultVisuals } from '../../control/protocol/visualState.js';

/**
 * A plausible show state (imprint source, 120 BPM, one segment playing), for tests of surfaces
 * that only read state. `over` replaces top-level fields.
 */
export function engineStateFixture(over: Partial<EngineState> = {}): EngineState {
  return {
    frame: 96_000,
    nowPlaying: {
      segmentId: 3,
      startedAt: 1,
      startFrame: 48_000,
      recipe: {
        source: 'imprint',
        preset: null,
        prompts: { audio: null, picture: null },
        seed: 7,
        description: 'imprint: "hello", seed 7',
      },
    },
    queueLength: 1,
    prompts: { audio: null, picture: null },
    guidance: { audio: null, picture: null },
    tempoBpm: 120,
    seed: 7,
    mix: 0.5,
    source: 'imprint',
    preset: null,
    imprint: { text: 'hello', strength: 0.5 },
    transport: { bpm: 120, beatsPerBar: 4, bar: 2, beat: 1, phase: 0, clockSource: 'internal', quantize: 'bar' },
    instant: { gain: 1, filter: 0, freeze: false },
    health: { aheadSeconds: 4, lastRenderSeconds: 0.3, lateRepeats: 0, failedRenders: 0, supersededRenders: 0, underruns: 0, projector: null, listen: null },
    counters: { underruns: 0, deviceUnderruns: 0, lateRepeats: 0, segmentsGenerated: 4, segmentsPlayed: 3, supersededRenders: 0, failedRenders: 0, workerRestarts: 0 },
    visuals: defaultVisuals(),
    ...over,
  };
}
