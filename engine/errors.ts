/**
 * An error caused by the user's input (a file, a field, an option): the CLI prints its message
 * as one line and exits non-zero, without a stack trace. The message must name what is wrong.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
