import cliProgress from 'cli-progress';

/** A progress bar that advances one step per named phase of a command. */
export interface PhaseProgress {
  /** Mark the start of `phase` (one of the names given at creation): the bar shows the phases before it as done. */
  phase(name: string): void;
  /** Remove the bar (idempotent). Call in a `finally`, so an error line is not printed over it. */
  stop(): void;
}

export interface PhaseProgressOptions {
  /** where to draw; default process.stderr, so stdout stays clean for results */
  readonly stream?: NodeJS.WriteStream;
  /** default: only when `stream` is a terminal, so tests, pipes and logs get no control codes */
  readonly enabled?: boolean;
}

const SILENT: PhaseProgress = { phase: () => undefined, stop: () => undefined };

/**
 * A single bar over a command's phases (e.g. read, reconstruct, write). Coarse on purpose: the
 * library calls report no finer progress, and the bar's job is to show the command is alive.
 */
export function phaseProgress(phases: readonly string[], options: PhaseProgressOptions = {}): PhaseProgress {
  const stream = options.stream ?? process.stderr;
  if (!(options.enabled ?? stream.isTTY === true)) return SILENT;
  const bar = new cliProgress.SingleBar({
    stream,
    format: '{bar} {percentage}% | {phase}',
    clearOnComplete: true,
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(phases.length, 0, { phase: phases[0] ?? '' });
  let stopped = false;
  return {
    phase(name) {
      if (stopped) return;
      const index = phases.indexOf(name);
      bar.update(index < 0 ? bar.getProgress() * phases.length : index, { phase: name });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
