/**
 * The records the Store interface (`store.ts`) moves: a session as stored, what `load`, `peek`
 * and `listUserSessions` answer, and the changes `update` and `replace` apply. Times are
 * milliseconds since the epoch, from the app's clock.
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
   * When the session's current id was issued, when later than `createdAt` (SPEC P2): by `renew`,
   * or by a logged-in session's `regenerate()`, which keeps its creation. Absent: at `createdAt`.
   * Renewal changes the id only: every other field moves with the record unchanged.
   */
  renewedAt?: number;
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
  /**
   * Present when `load` was given an id that `renew` replaced less than its grace ago: the
   * session's current id, whose record this is (SPEC P2). The engine switches to it.
   */
  currentId?: string;
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

/** What `peek` answers: a live session's deadlines and last authentication, read without sliding (SPEC P5). */
export interface SessionDeadlines {
  /** The idle deadline. */
  expiresAt: number;
  /** The absolute deadline. */
  absoluteExpiresAt: number;
  /** When the user last authenticated; absent for an anonymous session or when unknown. */
  authenticatedAt?: number;
}

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
