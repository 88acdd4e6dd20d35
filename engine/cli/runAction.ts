import { isUserError } from '../errors.js';

/**
 * Wraps a command's action: a UserError (bad file, field or option) becomes one line on stderr and
 * exit code 1; anything else is a bug and keeps its stack trace (exit code 2).
 */
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (e) {
      if (isUserError(e)) {
        process.stderr.write(`synesthete: ${e.message}\n`);
        process.exitCode = 1;
      } else {
        process.stderr.write(`synesthete: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exitCode = 2;
      }
    }
  };
}
