import { expect } from 'vitest';
import { UserError } from '../../engine/errors.js';

/** The message of the UserError `fn` throws (fails the test if it throws anything else). */
export function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}
