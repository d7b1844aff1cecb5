import { SessionHookError, SessionStoreError } from '../errors.js';

/** The cause given to `wrap` when the deadline passed: recognised by its class, not its text. */
export class DeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineError';
  }
}

/**
 * Runs `call` bounded in time. A rejection becomes `wrap(name, cause)`, a missed deadline
 * `wrap(name, new DeadlineError(timeoutMs))`; a late rejection of the abandoned call is
 * absorbed, never unhandled (SPEC F1, F4). `wrap` takes the call's name rather than closing
 * over it, so a call on the per-request path creates no closure for it.
 */
export function withDeadline<T>(
  timeoutMs: number,
  call: () => T | Promise<T>,
  wrap: (name: string, cause: unknown) => Error,
  name: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(wrap(name, new DeadlineError(timeoutMs))), timeoutMs);
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(call());
    } catch (cause) {
      clearTimeout(timer);
      reject(wrap(name, cause));
      return;
    }
    // Both branches settle the outer promise; after the deadline they are no-ops, so a late
    // rejection of the abandoned call is absorbed here, never unhandled.
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (cause: unknown) => {
        clearTimeout(timer);
        reject(wrap(name, cause));
      },
    );
  });
}

function storeError(operation: string, cause: unknown): Error {
  if (cause instanceof SessionStoreError) return cause;
  return new SessionStoreError(operation, cause instanceof DeadlineError ? cause.message : 'the store failed', { cause });
}

function hookError(hook: string, cause: unknown): Error {
  return new SessionHookError(hook, { cause });
}

/** One store call bounded in time: any failure is a {@link SessionStoreError} (SPEC F1). */
export function boundedStoreCall<T>(operation: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  return withDeadline(timeoutMs, call, storeError, operation);
}

/** One application hook call bounded in time: any failure is a {@link SessionHookError} (SPEC F4). */
export function boundedHookCall<T>(hook: string, timeoutMs: number, call: () => T | Promise<T>): Promise<T> {
  return withDeadline(timeoutMs, call, hookError, hook);
}
