import { pendingNativeStops } from '../../engine/audio/portAudioSink.js';

/**
 * What the child processes that drive real PortAudio streams share (test/engine/audio/*Probe,
 * portAudioPlayer): messages to the parent over IPC, and an exit that cannot hang.
 */

/** Sends one message to the parent process; resolves once it is handed over. */
export function sendToParent<M>(m: M): Promise<void> {
  return new Promise((resolve) => process.send!(m, () => resolve()));
}

/**
 * After a device died, a native quit never returns and process.exit() would hang (libuv joins its
 * pool threads at exit), so end with a signal then; the result has already been sent.
 */
function exit(code: number): never {
  if (pendingNativeStops() > 0) process.kill(process.pid, 'SIGKILL');
  process.exit(code);
}

/** Runs a probe's main: exit 0 when it ends, else an `{type: 'error'}` message to the parent and exit 1. */
export function runProbe(main: () => Promise<void>): void {
  main().then(
    () => exit(0),
    async (e: unknown) => {
      await sendToParent({ type: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      exit(1);
    },
  );
}
