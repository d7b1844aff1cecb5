import { SessionStoreError } from '../errors.js';

/**
 * Runs one store call bounded in time (SPEC F1). A rejection or a missed deadline becomes a
 * {@link SessionStoreError}; a late rejection of the abandoned call is absorbed, never unhandled.
 */
export async function boundedStoreCall<T>(operation: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(call());
  } catch (cause) {
    throw new SessionStoreError(operation, 'the store threw', { cause });
  }
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new SessionStoreError(operation, `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([pending.catch((cause: unknown) => {
      throw cause instanceof SessionStoreError ? cause : new SessionStoreError(operation, 'the store failed', { cause });
    }), deadline]);
  } finally {
    clearTimeout(timer);
    pending.catch(() => undefined);
  }
}
