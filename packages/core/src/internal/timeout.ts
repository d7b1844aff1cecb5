import { SessionHookError, SessionStoreError } from '../errors.js';

/**
 * Runs `call` bounded in time. A rejection becomes `wrap(cause)`, a missed deadline
 * `wrap(new Error('no answer within … ms'))`; a late rejection of the abandoned call is
 * absorbed, never unhandled (SPEC F1, F4).
 */
export async function withDeadline<T>(timeoutMs: number, call: () => T | Promise<T>, wrap: (cause: unknown) => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(call());
  } catch (cause) {
    throw wrap(cause);
  }
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(wrap(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
  });
  try {
    return await Promise.race([pending.catch((cause: unknown) => { throw wrap(cause); }), deadline]);
  } finally {
    clearTimeout(timer);
    pending.catch(() => undefined);
  }
}

/** One store call bounded in time: any failure is a {@link SessionStoreError} (SPEC F1). */
export function boundedStoreCall<T>(operation: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  return withDeadline(timeoutMs, call, (cause) => {
    if (cause instanceof SessionStoreError) return cause;
    const timedOut = cause instanceof Error && cause.message.startsWith('no answer within');
    return new SessionStoreError(operation, timedOut ? (cause as Error).message : 'the store failed', { cause });
  });
}

/** One application hook call bounded in time: any failure is a {@link SessionHookError} (SPEC F4). */
export function boundedHookCall<T>(hook: string, timeoutMs: number, call: () => T | Promise<T>): Promise<T> {
  return withDeadline(timeoutMs, call, (cause) => new SessionHookError(hook, { cause }));
}
