/**
 * The Store interface: the one seam between the session engine and where sessions live.
 * Every method is one atomic step; the engine never reads-then-writes across two calls.
 * Session data travels as one JSON text per key, so a store can merge per key (SPEC T4, T8)
 * without parsing values: `update` applies one request's changes to the stored data, and so
 * does `replace` (login), which carries the old session's data as stored at that moment over
 * to the new id, so that a write acknowledged on the old id while the login was in flight is
 * not lost (SPEC T8, contract v2). Times are milliseconds since the epoch, from the app's clock.
 *
 * Logged-in sessions belong to a user (SPEC U1): the store keeps a per-user index of them
 * (for listing and revocation, U4) and a per-user change version (U2), which `load` reads in
 * the same step as the session. A user's session id starts with the user's tag
 * (`sessionIdTag()`), so a store can keep all of one user's keys together (one Redis Cluster
 * hash tag, SPEC S1).
 */

import type { DataChanges, LoadedSession, ReplacementSession, SessionChanges, SessionDeadlines, StoredSession, UserSessionEntry } from './stored-session.js';

export type { DataChanges, LoadedSession, ReplacementSession, SessionChanges, SessionDeadlines, StoredSession, StoredUser, UserSessionEntry } from './stored-session.js';

/**
 * A cap on a user's live sessions, given to `create` and `replace` for a login (SPEC P4). It
 * applies only when the new record has a `user`. In the same atomic step as the write, the
 * store counts that user's live sessions other than the old session of a `replace` (which goes
 * away in that step); when the count is `max` or more:
 * - `'end-least-recent'`: it destroys the user's live sessions with the smallest `lastSeenAt`
 *   (ties: the smallest `createdAt`, then any), with their index entries, until the count is
 *   `max - 1`, then writes the new record;
 * - `'refuse'`: it answers `'limited'` and writes nothing.
 */
export interface SessionLimit {
  /** The most live sessions the user may have once the new one is written: a positive integer. */
  max: number;
  /** What a login beyond `max` does. */
  onLimit: 'end-least-recent' | 'refuse';
}

/** What `load` is told, so the idle deadline slides in the same call (SPEC T2). */
export interface LoadContext {
  /** The current time. */
  now: number;
  /** The idle timeout in milliseconds, for a record without its own `idleTimeoutMs`. */
  idleTimeoutMs: number;
}

/** What `renew` is told: the time, and how long the old id keeps working (SPEC P2). */
export interface RenewContext {
  /** The current time: the renewed record's `renewedAt`. */
  now: number;
  /** How long after `now` the old id still reaches the renewed session. */
  graceMs: number;
}

/**
 * What `renew` answers: `'renewed'` (the record moved to the new id), `{ renewedTo }` (another
 * request renewed the old id first, still within the grace: the current id), `'exists'` (the
 * new id is taken; nothing changed: retry with another id) or `'missing'` (the old id names no
 * live session).
 */
export type RenewResult = 'renewed' | 'exists' | 'missing' | { renewedTo: string };


/**
 * How long a store keeps a user's change version after `markUserChanged` when the user has
 * no live session: longer than any login takes (its store calls and `loadUser` are each
 * bounded by the store timeout), short enough that changes of users who never log in leave
 * nothing behind.
 */
export const USER_CHANGE_RETENTION_MS = 5 * 60_000;


/** Which of a user's sessions `revokeUserSessions` destroys. */
export interface RevokeSelection {
  /** Only the sessions with these handles; all of the user's sessions when absent. */
  handles?: readonly string[];
  /** Never this session (revoke "all others"); a renewed session's old id within its grace keeps the renewed session (SPEC P2). */
  exceptSessionId?: string;
}

/**
 * Where sessions live. Implementations: `MemoryStore` (embedded) and `@sessionware/redis`.
 * A third-party store proves itself with the shared store conformance suite (SPEC T9).
 */
export interface Store {
  /**
   * Loads a live session and slides its idle deadline to
   * `min(now + idleTimeoutMs, absoluteExpiresAt)` in the same atomic step, setting
   * `lastSeenAt = now`; for a user's session also reads the user's change version. Returns
   * `null` when the session is missing or past either deadline (an expired record is removed).
   * An id renewed less than its grace ago loads the renewed session (see `renew`).
   */
  load(id: string, context: LoadContext): Promise<LoadedSession | null>;
  /**
   * Reads a live session's deadlines and `authenticatedAt` without sliding anything or
   * changing the record (SPEC P5): the front end asks how long is left before an idle logout
   * without keeping the session alive. Returns `null` when the session is missing or past
   * either deadline at `now`.
   */
  peek(id: string, now: number): Promise<SessionDeadlines | null>;
  /**
   * Creates the session only if no record has this id. Never overwrites (SPEC T5):
   * answers `'exists'` and changes nothing on a collision. A session with a `user` joins
   * that user's index. With a `limit` and a `user`, applies the {@link SessionLimit} in the
   * same step (SPEC P4): `'limited'` (only with `onLimit: 'refuse'`) writes nothing.
   */
  create(id: string, session: StoredSession, limit?: SessionLimit): Promise<'created' | 'exists' | 'limited'>;
  /**
   * Applies per-key changes (and a refreshed `user` copy, a new `authenticatedAt`) to an existing live session.
   * Answers `'missing'` and writes nothing when the session is gone, so a destroyed session
   * is never resurrected (SPEC T8).
   */
  update(id: string, changes: SessionChanges): Promise<'updated' | 'missing'>;
  /**
   * Login (SPEC T6): creates `newId` and removes `oldId` (and its index entry), as one step
   * that never leaves both valid. The new record is `session` with, as its data, the old
   * record's data as stored at that moment, minus `changes.unset`, plus `changes.set` (set
   * wins): keys written to the old session by `update` after the login loaded it are carried
   * over, keys the login removed are gone (SPEC T8).
   * Answers `'missing'` when `oldId` is no longer live (destroyed meanwhile: its data must not
   * live on under a new id, SPEC T8) and `'exists'` when `newId` is taken; both write nothing.
   * The new session joins its user's index. With a `limit` and a `user`, applies the
   * {@link SessionLimit} in the same step (SPEC P4), `oldId` not counted: `'limited'` (only
   * with `onLimit: 'refuse'`, checked after `'missing'` and `'exists'`) writes nothing, so the
   * old session stays live. A store that cannot do a login in one step (`@sessionware/redis`
   * on a Cluster, when the two ids are in different slots) documents when it differs.
   */
  replace(oldId: string, newId: string, session: ReplacementSession, changes: DataChanges, limit?: SessionLimit): Promise<'created' | 'exists' | 'missing' | 'limited'>;
  /** Removes the session and its user-index entry. Removing a missing session is not an error. */
  destroy(id: string): Promise<void>;
  /**
   * Renewal (SPEC P2, OWASP's renewal timeout): gives a user's live session a new id, as one
   * atomic step. The record moves to `newId` as it is (data, user, handle, deadlines, every
   * other field) with `renewedAt = now`, its user-index entry now names `newId`, and `oldId`
   * becomes a pointer to `newId` for `graceMs`: until then `load` of `oldId` answers the
   * record of `newId` (sliding it) with `currentId: newId`, and `update`, `destroy` and
   * `replace` of `oldId` act on `newId`; after it `oldId` is dead. Answers `{ renewedTo }` when
   * `oldId` is such a pointer already, `'exists'` when `newId` is taken and `'missing'`
   * otherwise, all three changing nothing. Both ids carry the session's user tag, so a store
   * keeps every step in one place (one Redis Cluster slot, SPEC S1). The engine renews only
   * users' sessions: login already gives an anonymous session a new id (SPEC T6).
   */
  renew(oldId: string, newId: string, context: RenewContext): Promise<RenewResult>;
  /**
   * The user's change version now: 0 when never changed, or when the user has had no live
   * session for longer than {@link USER_CHANGE_RETENTION_MS} since the last change.
   */
  userVersion(userId: string): Promise<number>;
  /**
   * Bumps the user's change version, so each of the user's sessions reloads its cached
   * attributes at its next request (SPEC U2). Call it after the change is written. The
   * version is kept at least {@link USER_CHANGE_RETENTION_MS} even when the user has no
   * session, so a login that read the attributes just before the change still sees it.
   */
  markUserChanged(userId: string): Promise<void>;
  /**
   * The user's live sessions. Entries of sessions that are gone are removed from the index
   * on the way, so it never grows with expired sessions (SPEC U4).
   */
  listUserSessions(userId: string, now: number): Promise<UserSessionEntry[]>;
  /** Destroys the selected sessions of the user; answers how many were live. */
  revokeUserSessions(userId: string, selection: RevokeSelection): Promise<number>;
}
