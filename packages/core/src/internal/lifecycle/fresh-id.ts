import { SessionStoreError } from '../../errors.js';
import { generateSessionId } from '../id.js';

/** How many fresh ids to try when the store reports a collision (SPEC T5). */
const ID_ATTEMPTS = 5;

/**
 * Runs a store step that writes a new session id (create, login, renewal) with fresh ids of
 * `userId` until the store answers anything but `'exists'` (SPEC T1, T5); after
 * {@link ID_ATTEMPTS} collisions, a `SessionStoreError` of `operation`.
 */
export async function withFreshId<T>(operation: string, userId: string | undefined, attempt: (id: string) => Promise<T | 'exists'>): Promise<T> {
  for (let tries = 0; tries < ID_ATTEMPTS; tries += 1) {
    const result = await attempt(generateSessionId(userId));
    if (result !== 'exists') return result;
  }
  throw new SessionStoreError(operation, `no free session id after ${ID_ATTEMPTS} attempts`);
}
