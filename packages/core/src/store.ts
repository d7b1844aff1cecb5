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

/** The user a session belongs to, with the cached copy of the user's attributes (SPEC U1). */
export interface StoredUser {
  /** The user id given to `session.login()`. */
  id: string;
  /** The user's change version this cached copy was loaded at (see `Store.markUserChanged`). */
  version: number;
  /** The attributes `loadUser` returned, as JSON text. */
  attributes: string;
}

/** One session record as a store keeps it. */
export interface StoredSession {
  /** Session data: one JSON text per top-level key. */
  data: Record<string, string>;
  /** When the session was created (login starts a new one). */
  createdAt: number;
  /** When a request last loaded the session. */
  lastSeenAt: number;
  /** The idle deadline: `lastSeenAt + idleTimeout`, never past `absoluteExpiresAt`. */
  expiresAt: number;
  /** The absolute deadline: `createdAt + absoluteTimeout`. It never moves. */
  absoluteExpiresAt: number;
  /** The owner of a logged-in session. A session with a user is in that user's index. */
  user?: StoredUser;
  /** Opaque random name of a logged-in session in its user's listing; never its id (SPEC U4). */
  handle?: string;
  /** The User-Agent of the login request, for listings. */
  userAgent?: string;
  /**
   * When the user last authenticated (SPEC P3): set by a login and by
   * `session.reauthenticated()`. Absent when unknown (a session moved from another library).
   */
  authenticatedAt?: number;
  /**
   * The session's own cookie expiry mode, chosen at login with `remember` (SPEC P1); absent:
   * the `cookie.expiry` option.
   */
  cookieExpiry?: 'browser-session' | 'persistent';
  /**
   * The session's own idle timeout in milliseconds (a remembered login's, SPEC P1): `load`
   * slides the idle deadline by it instead of `LoadContext.idleTimeoutMs`. Absent: the context's.
   */
  idleTimeoutMs?: number;
}

/** What `load` answers: the record, and for a user's session the user's current change version. */
export interface LoadedSession extends StoredSession {
  /**
   * The user's change version now (0 when never changed), read in the same atomic step as
   * the record; present exactly when `user` is. Differs from `user.version` when the user
   * changed since the attributes were cached (SPEC U2).
   */
  userVersion?: number;
}

/** The per-key data changes of one request: keys to set (JSON text) and keys to remove. */
export interface DataChanges {
  /** Keys to set, each to one JSON text. */
  set: Record<string, string>;
  /** Keys to remove. */
  unset: string[];
}

/** What `update` applies: one request's data changes, and possibly a refreshed user copy. */
export interface SessionChanges extends DataChanges {
  /** A refreshed cached copy of the user's attributes (SPEC U2); the user id never changes. */
  user?: StoredUser;
  /** A new `authenticatedAt` (`session.reauthenticated()`, SPEC P3). */
  authenticatedAt?: number;
}

/** A login's new record: everything but the data, which the store carries over from the old session. */
export type ReplacementSession = Omit<StoredSession, 'data'>;

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

/** What `peek` answers: a live session's deadlines and last authentication, read without sliding (SPEC P5). */
export interface SessionDeadlines {
  /** The idle deadline. */
  expiresAt: number;
  /** The absolute deadline. */
  absoluteExpiresAt: number;
  /** When the user last authenticated; absent for an anonymous session or when unknown. */
  authenticatedAt?: number;
}

/**
 * How long a store keeps a user's change version after `markUserChanged` when the user has
 * no live session: longer than any login takes (its store calls and `loadUser` are each
 * bounded by the store timeout), short enough that changes of users who never log in leave
 * nothing behind.
 */
export const USER_CHANGE_RETENTION_MS = 5 * 60_000;

/** One live session of a user, as listed (SPEC U4). */
export interface UserSessionEntry {
  handle: string;
  /** The session's id, so the engine can tell the current one; never shown to clients. */
  sessionId: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent?: string;
  /** When the user last authenticated on this session (SPEC P3); absent when unknown. */
  authenticatedAt?: number;
}

/** Which of a user's sessions `revokeUserSessions` destroys. */
export interface RevokeSelection {
  /** Only the sessions with these handles; all of the user's sessions when absent. */
  handles?: readonly string[];
  /** Never this session (revoke "all others"). */
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
