import type { Duration } from './internal/duration.js';
import type { LoginOptions } from './internal/remember.js';
import type { SessionCallback } from './internal/session-methods.js';

export type { SessionCallback } from './internal/session-methods.js';

/** A value that survives a JSON round trip unchanged, as session values must (SPEC O2). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * `T` itself when its values are all JSON, else `never`: works on interfaces too (which have
 * no index signature, so are not assignable to {@link JsonValue}). Functions, symbols,
 * BigInts, `undefined` in arrays or as a property value, and objects with methods (a `Date`,
 * a `Map`, a `Set`) are not; `NaN`, holes and data-only class instances are caught at run time.
 */
export type JsonChecked<T> = [T] extends [JsonShape<T>] ? T : never;

/** The JSON-compatible shape of `T`: its non-JSON parts become `never`. */
export type JsonShape<T> = T extends string | number | boolean | null
  ? T
  : T extends (...args: never[]) => unknown
    ? never
    : T extends readonly unknown[]
      ? { [I in keyof T]: JsonShape<T[I]> }
      : T extends object
        ? { [K in keyof T]: JsonShape<T[K]> }
        : never;

/**
 * Your session data. Augment it to type `req.session` / `ctx.session`:
 *
 * ```ts
 * declare module '@sessionware/core' {
 *   interface SessionData { cart: string[] }
 * }
 * ```
 *
 * Each type must be JSON (SPEC O2): a key declared as a `Date`, a `Map` or a function is typed
 * `never` on the session, so every assignment to it is a compile error.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SessionData {}

/**
 * The attributes your `loadUser` returns, cached in a logged-in session (SPEC U1). Augment
 * it to type `session.user`:
 *
 * ```ts
 * declare module '@sessionware/core' {
 *   interface SessionUser { id: string; email: string; emailConfirmed: boolean }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SessionUser {}

/** {@link SessionUser} when augmented, else any JSON object. */
export type SessionUserAttributes = keyof SessionUser extends never ? Record<string, unknown> : SessionUser;

/** One of the current user's live sessions, as listed (SPEC U4). */
export interface SessionInfo {
  /** Opaque name of the session, for `revokeSession`. Not the session id. */
  handle: string;
  /** When it was created (logged in), ms since the epoch. */
  createdAt: number;
  /** When a request last used it, ms since the epoch. */
  lastSeenAt: number;
  /** The User-Agent it logged in with, if any. */
  userAgent: string | null;
  /** When the user last authenticated on it (login or `reauthenticated()`), ms since the epoch; null when unknown (SPEC P3). */
  authenticatedAt: number | null;
  /** True for the session of this request. */
  current: boolean;
}

/** The methods and read-only properties every session object has. Their names are reserved. */
export interface SessionMethods {
  /**
   * Login: the session gets a new id when this request commits, its data carried over, and
   * the old id is destroyed in the same store step (SPEC T6). Call it whenever the privilege
   * level changes. Also creates the session when it is new and empty. A logged-in session
   * stays logged in as the same user. Answers a promise that resolves at once: the store step
   * happens at the commit (or at `save()`).
   *
   * With a callback (the express-session form, SPEC R4, used by passport) the store step runs
   * now and the callback is called once, error first, when it is done.
   */
  regenerate(): Promise<void>;
  regenerate(callback: SessionCallback): void;
  /**
   * Ends the session: the record is destroyed and both cookies cleared when the request
   * commits. Keys set afterwards start a new, anonymous session. `req.session = null` does
   * the same (SPEC R5). Answers a promise that resolves at once.
   *
   * With a callback (express-session form) the store step runs now; the callback is called
   * once, error first.
   */
  destroy(): Promise<void>;
  destroy(callback: SessionCallback): void;
  /**
   * Stores pending changes now instead of before the response headers, e.g. before a
   * streamed response. Rejects (or calls back) with `SessionStoreError` when the store fails.
   */
  save(): Promise<void>;
  save(callback: SessionCallback): void;
  /**
   * Reads the session again from the store, dropping this request's unsaved changes (the
   * idle deadline slides, as with every load). A session gone from the store becomes
   * anonymous and its cookies are cleared.
   */
  reload(): Promise<void>;
  reload(callback: SessionCallback): void;
  /**
   * For middleware written for express-session: does nothing, since every request that loads
   * the session already slides its idle deadline (SPEC T2).
   */
  touch(): void;
  /**
   * Logs `userId` in (SPEC U1): loads the user's attributes through `loadUser` now, then
   * regenerates the session (new id, data carried over) as the user's when the request
   * commits. Resolves to the attributes. Requires the `loadUser` option; rejects with
   * `SessionDataError` when `loadUser` answers `null`. The new session records the time as
   * its `authenticatedAt` (SPEC P3); `{ remember }` chooses its cookies' expiry and its
   * timeouts (SPEC P1, see {@link LoginOptions}).
   */
  login(userId: string, options?: LoginOptions): Promise<SessionUserAttributes>;
  /**
   * The user just proved who they are again (a password or second factor asked before a
   * sensitive action): the session's `authenticatedAt` becomes now, stored at the commit
   * (SPEC P3). Throws `SessionDataError` when nobody is logged in.
   */
  reauthenticated(): void;
  /**
   * Step-up check (SPEC P3): throws `SessionFreshnessError` (401, `ERR_SESSION_NOT_FRESH`)
   * unless a user is logged in and last authenticated at most `maxAge` ago (a duration:
   * milliseconds, or `'5m'`). Costs no store call.
   */
  requireFresh(maxAge: Duration): void;
  /** When the logged-in user last authenticated on this session (ms since the epoch), or `undefined` (SPEC P3). */
  readonly authenticatedAt: number | undefined;
  /** The id of the logged-in user, or `undefined`. */
  readonly userId: string | undefined;
  /**
   * The logged-in user's attributes as `loadUser` last returned them, refreshed before the
   * handler whenever `userChanged(userId)` was called since (SPEC U2). Treat as read-only.
   */
  readonly user: SessionUserAttributes | undefined;
  /** The logged-in user's live sessions (SPEC U4). Rejects when nobody is logged in. */
  listSessions(): Promise<SessionInfo[]>;
  /** Revokes one of the logged-in user's sessions by handle; true when it was live. */
  revokeSession(handle: string): Promise<boolean>;
  /** Revokes every other session of the logged-in user; answers how many were live. */
  revokeOtherSessions(): Promise<number>;
}

/** The keys declared in {@link SessionData}, each optional and held to JSON types (SPEC O2). */
export type SessionDataValues = { [K in keyof SessionData]?: JsonChecked<SessionData[K]> };

/**
 * The session object of one request: data keys as plain properties
 * (`session.cart = …`, `delete session.cart`) plus {@link SessionMethods}. Values must survive
 * a JSON round trip: anything else throws `SessionDataError` at the assignment (SPEC O2).
 * Declared keys are typed by {@link SessionData}; other keys accept any type, since their
 * values are often parsed input, and are checked at run time only. Only changed keys are
 * written (SPEC T4), nested changes included.
 */
export type Session = SessionMethods & SessionDataValues & { [key: string]: unknown };

/** Names that cannot be used as session data keys. */
export const RESERVED_SESSION_KEYS: ReadonlySet<string> = new Set([
  'regenerate', 'destroy', 'save', 'reload', 'touch', 'login', 'userId', 'user', 'listSessions', 'revokeSession',
  'revokeOtherSessions', 'reauthenticated', 'requireFresh', 'authenticatedAt', '__proto__',
]);
