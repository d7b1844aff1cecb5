import { toSessionListing } from './internal/session-listing.js';
import { checkHandle, checkUserId } from './internal/user-input.js';
import type { Duration } from './internal/duration.js';
import { boundedStoreCall } from './internal/timeout.js';
import { resolveStoreTimeout } from './options.js';
import type { SessionInfo } from './session.js';
import type { Store } from './store.js';

/** One session of a user as listed outside a request: no `current` flag. */
export type UserSessionInfo = Omit<SessionInfo, 'current'>;

/**
 * Per-user operations usable anywhere: in a route, a job, another process sharing the store
 * (SPEC U2, U4). Every call is one store call, bounded by the store timeout, failing with
 * `SessionStoreError`.
 */
export interface UserSessions {
  /**
   * Every session of the user, on every instance, reloads the user's attributes through
   * `loadUser` before the handler of its next request (SPEC U2). Call it after the change
   * is written where `loadUser` reads.
   */
  userChanged(userId: string): Promise<void>;
  /** The user's live sessions (SPEC U4). */
  list(userId: string): Promise<UserSessionInfo[]>;
  /** Revokes one session of the user by handle; true when it was live. */
  revoke(userId: string, handle: string): Promise<boolean>;
  /** Revokes every session of the user; answers how many were live. */
  revokeAll(userId: string): Promise<number>;
}

/**
 * The per-user operations on `store`. `session()` exposes the same object as its `users`
 * property; a job or another process builds its own from the store it shares.
 */
export function userSessions(store: Store, options: { storeTimeout?: Duration } = {}): UserSessions {
  const timeoutMs = resolveStoreTimeout(options.storeTimeout);
  const call = <T>(operation: string, run: () => Promise<T>) => boundedStoreCall(operation, timeoutMs, run);
  return Object.freeze({
    async userChanged(userId: string) {
      const id = checkUserId(userId);
      await call('userChanged', () => store.markUserChanged(id));
    },
    async list(userId: string) {
      const id = checkUserId(userId);
      const entries = await call('listSessions', () => store.listUserSessions(id, Date.now()));
      return entries.map(toSessionListing);
    },
    async revoke(userId: string, handle: string) {
      const id = checkUserId(userId);
      const selected = checkHandle(handle);
      return (await call('revokeSession', () => store.revokeUserSessions(id, { handles: [selected] }))) > 0;
    },
    async revokeAll(userId: string) {
      const id = checkUserId(userId);
      return call('revokeAllSessions', () => store.revokeUserSessions(id, {}));
    },
  });
}
