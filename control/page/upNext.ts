/**
 * The "up next" slot: the performer types the next prompt while the current one plays, then sends
 * it with one press, or arms it to go by itself on the next bar line of the beat light. Either
 * way the show still switches the change in on its own quantum (the quantize choice).
 */
export type UpNextWhen = 'press' | 'bar';

/** Armed at `armedBar`: due once the music reaches a later bar. */
export function upNextDue(armedBar: number | null, bar: number): boolean {
  return armedBar !== null && bar > armedBar;
}
