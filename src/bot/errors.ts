/** An error whose message is meant for the user as it is (a bad ref, a refused command). */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Thrown by CommandContext.library() while the index is still loading or being built. */
export class LibraryUnavailableError extends Error {
  override readonly name = 'LibraryUnavailableError';
  constructor() {
    super('The library is still loading (the index may be being built). Please try again in a minute.');
  }
}

/** A short, safe description of an error for logs: never the request URL (it holds interaction tokens). */
export function describeError(error: unknown): { message: string; code?: unknown; status?: unknown; stack?: string } {
  if (error instanceof Error) {
    const extra = error as Error & { code?: unknown; status?: unknown };
    return { message: error.message, code: extra.code, status: extra.status, stack: error.stack };
  }
  return { message: String(error) };
}
