import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority (nice value; per thread on Linux, and threads it
 * starts afterwards inherit it). Background work (phase reconstruction, inference, recording)
 * calls this first, so on a machine with few cores the audio thread, left at normal priority,
 * is never starved by a render: rendering is what may be late, the sound never. Raising a
 * priority needs privileges; lowering one never does.
 */
export function runInBackground(nice = 10): void {
  try {
    setPriority(0, nice);
  } catch {
    // not permitted or not supported here: renders simply keep the normal priority
  }
}

/**
 * Raises the calling thread's priority for the audio thread (nice -10), where the system allows
 * it (root, or CAP_SYS_NICE / an rtprio limit); elsewhere it stays at the normal priority, still
 * above every render (see runInBackground). Returns whether it was raised.
 */
export function runAsAudioThread(nice = -10): boolean {
  try {
    setPriority(0, nice);
    return true;
  } catch {
    return false;
  }
}
