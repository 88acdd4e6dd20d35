import cliProgress from 'cli-progress';

/** A progress bar over counted work (denoising steps, chunks), drawn on stderr only on a terminal. */
export interface StepProgress {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

export function stepProgress(stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true): StepProgress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ stream, format: '{bar} {value}/{total} | {label}', clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic);
  let started = false, stopped = false;
  return {
    update(done, total, label) {
      if (stopped) return;
      if (!started) { bar.start(total, done, { label }); started = true; return; }
      bar.setTotal(total);
      bar.update(done, { label });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (started) bar.stop();
    },
  };
}
