/**
 * The express-session method forms (SPEC R4): `regenerate(cb)`, `save(cb)`, `destroy(cb)`,
 * `reload(cb)`, so middleware written for express-session (passport) runs unchanged. Each
 * form calls its callback exactly once, error first, and never lets the callback's own throw
 * escape as an unhandled rejection; without a callback the method answers a promise.
 */

/** An express-session style callback. */
export type SessionCallback = (error?: Error | null) => void;

/**
 * Runs `work` (which may throw synchronously) and answers as express-session does: with a
 * callback, `callback(error)` or `callback(null)` once, on a later turn; without one, the
 * promise. A throw from the callback goes to `onCallbackThrow` (the request's error path).
 */
export function answerInForm(work: () => Promise<void> | void, callback: unknown, onCallbackThrow: (error: unknown) => void): Promise<void> & void {
  return answer(work, callback, onCallbackThrow) as Promise<void> & void;
}

function answer(work: () => Promise<void> | void, callback: unknown, onCallbackThrow: (error: unknown) => void): Promise<void> | undefined {
  if (typeof callback !== 'function') {
    try {
      const result = work();
      return result instanceof Promise ? result : Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }
  const done = callback as SessionCallback;
  const call = (error: Error | null): void => {
    try {
      done(error);
    } catch (thrown) {
      onCallbackThrow(thrown);
    }
  };
  let pending: Promise<void> | void;
  try {
    pending = work();
  } catch (error) {
    process.nextTick(call, error as Error);
    return undefined;
  }
  Promise.resolve(pending).then(() => call(null), (error: unknown) => call(error as Error));
  return undefined;
}

/**
 * `regenerate()` / `destroy()`: without a callback the intent is marked at once (a misuse
 * throws at the call, never as a rejection nobody awaits) and the answer is a resolved
 * promise, the store step following at the commit; with one, the store step runs now and
 * the callback gets its outcome (the express-session form).
 */
export function markOrCommit(mark: () => void, callback: unknown, commit: () => Promise<void>, onCallbackThrow: (error: unknown) => void): Promise<void> & void {
  if (typeof callback !== 'function') {
    mark();
    return Promise.resolve() as Promise<void> & void;
  }
  return answerInForm(() => {
    mark();
    return commit();
  }, callback, onCallbackThrow);
}
