import type { CommandType } from './commands.js';
import type { EngineCounters, Surface } from './state.js';

/**
 * The `--summary` JSON written when a show ends: counters plus, for each command applied during
 * the run, when it was applied, where it came from and when it was first heard. It is how
 * rehearsals and tests check that the show kept up and reacted in time. Documented in
 * docs/commands.md.
 */

/** One command as the engine recorded it during a run. */
export interface CommandTiming {
  /** when the command was applied, seconds on the output clock (what was being heard then) */
  readonly at: number;
  readonly type: CommandType;
  readonly surface: Surface;
  /** when its first affected sample was heard; `null` if none was before the end */
  readonly audibleAt: number | null;
}

export interface SummaryEvent extends CommandTiming {
  /** `audibleAt - at`, or `null` when the command was never heard */
  readonly latencySeconds: number | null;
}

export interface RunSummary extends EngineCounters {
  readonly durationSeconds: number;
  /** every accepted command in the order given, heard or not */
  readonly events: readonly SummaryEvent[];
  /**
   * the largest latency over the commands that became audible; `null` when none did (0 would
   * claim an instant reaction that never happened)
   */
  readonly maxEventLatencySeconds: number | null;
  /** commands that never became audible; kept out of the maximum, so check this too */
  readonly unheardEvents: number;
  /** commands refused (with their reasons in the event stream) */
  readonly rejectedCommands: number;
  /** a very long show lists its last 100,000 commands or so: how many earlier ones were left out */
  readonly omittedEvents?: number;
}

/**
 * Builds the run summary. Pure: the engine records timings and counters, this only does the
 * arithmetic. Latencies are rounded to the microsecond, so `1.3 - 1` prints as 0.3 rather than
 * 0.30000000000000004.
 */
export function summarise(
  events: readonly CommandTiming[],
  counters: EngineCounters,
  durationSeconds: number,
  rejectedCommands = 0,
): RunSummary {
  const timed: SummaryEvent[] = events.map((e) => ({
    at: roundMicro(e.at),
    type: e.type,
    surface: e.surface,
    audibleAt: e.audibleAt === null ? null : roundMicro(e.audibleAt),
    latencySeconds: e.audibleAt === null ? null : roundMicro(e.audibleAt - e.at),
  }));
  const latencies = timed.flatMap((e) => (e.latencySeconds === null ? [] : [e.latencySeconds]));
  return {
    durationSeconds,
    underruns: counters.underruns,
    deviceUnderruns: counters.deviceUnderruns,
    segmentsGenerated: counters.segmentsGenerated,
    segmentsPlayed: counters.segmentsPlayed,
    lateRepeats: counters.lateRepeats,
    supersededRenders: counters.supersededRenders,
    failedRenders: counters.failedRenders,
    workerRestarts: counters.workerRestarts,
    events: timed,
    maxEventLatencySeconds: latencies.length > 0 ? latencies.reduce((a, b) => Math.max(a, b)) : null,
    unheardEvents: timed.length - latencies.length,
    rejectedCommands,
  };
}

function roundMicro(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}
