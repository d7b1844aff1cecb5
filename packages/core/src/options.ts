import { SessionConfigError, type SessionError } from './errors.js';
import { resolveCookie, type CookieOptions, type ResolvedCookie } from './internal/cookie-options.js';
import { MAX_TIMER_MS, parseDuration, type Duration } from './internal/duration.js';
import { checkOptionNames } from './internal/option-names.js';
import { resolveRenewal } from './internal/renewal-options.js';
import { checkStore } from './internal/check-store.js';
import { checkReader } from './internal/legacy/check-reader.js';
import { resolveRemember, type RememberOptions, type ResolvedRemember } from './internal/remember.js';
import { isDevelopmentEnv, resolveSecrets } from './internal/secrets.js';
import { resolveSessionLimit, type OnLimit } from './internal/session-limit-options.js';
import type { LegacySessionReader } from './legacy.js';
import { MemoryStore } from './memory-store.js';
import type { SessionUserAttributes } from './session.js';
import type { Store } from './store.js';

export { cookieNames } from './internal/cookie-options.js';
export type { CookieExpiry, CookieOptions, ResolvedCookie } from './internal/cookie-options.js';

/** Information passed to {@link SessionOptions.onError}. No ids or cookie values (SPEC F5). */
export interface ErrorReport {
  /** What was being done when the failure was absorbed: `logout` or `beforeLogout`. */
  operation: string;
}

/**
 * Options of the session engine, shared by `session()` of every adapter. An unknown name, at
 * any depth, throws `SessionConfigError` naming it; express-session and koa-session names get
 * a hint of the sessionware equivalent (SPEC O1).
 */
export interface SessionOptions {
  /**
   * Signing secrets: an ordered list, or a comma-separated string; the first signs, all verify.
   * Required (≥ 32 bytes, no placeholder) unless NODE_ENV is exactly `development` or `test`:
   * unset, `prod`, `staging` or `Production` count as production (SPEC K3).
   * @default process.env.SESSION_SECRETS, else (NODE_ENV development or test only) one random secret per process
   */
  secrets?: string | readonly string[] | undefined;
  /** @default a new {@link MemoryStore} */
  store?: Store;
  /** Idle timeout, slid by each request that loads the session. @default '12h' */
  idleTimeout?: Duration;
  /** Absolute timeout from the session's creation; never slides. @default '7d' */
  absoluteTimeout?: Duration;
  /**
   * The timeouts of a "remember me" login, `session.login(userId, { remember: true })`, whose
   * session gets persistent cookies whatever `cookie.expiry` says (SPEC P1). Kept in the
   * session's record, so a later change of this option applies to later logins only.
   * @default the idleTimeout and absoluteTimeout options
   */
  remember?: RememberOptions;
  /** Bound on every store call; past it the request fails with 503. @default '2s' */
  storeTimeout?: Duration;
  /**
   * OWASP's renewal timeout (SPEC P2): a logged-in session whose id is older than this gets a
   * new id on its next request, its data, user, handle and deadlines kept and both cookies
   * re-issued; that request pays one more store call. Only users' sessions are renewed: an
   * attacker's prize is an authenticated id, login already gives an anonymous session a new id
   * (SPEC T6), and a user's old and new ids share the user's tag, so renewal stays in one
   * Redis Cluster slot (SPEC S1). Needs a store with `renew()`.
   * @default undefined (off)
   */
  renewalInterval?: Duration | undefined;
  /**
   * How long a renewed session's old id keeps working, for requests already in flight with
   * the old cookie (SPEC P2); then it is dead. Shorter than `renewalInterval`, which it needs.
   * @default '30s'
   */
  renewalGrace?: Duration | undefined;
  /** Cookie options. */
  cookie?: CookieOptions;
  /** How many verified cookie strings to remember, skipping signature checks (SPEC K5). @default 10000 */
  verifyCacheSize?: number;
  /**
   * Cap on a session's stored size, in bytes (SPEC T10): the sum over its data keys of the
   * UTF-8 byte lengths of the key and of the value's JSON text (the texts the store receives;
   * the user's cached attributes and the record's own fields are not counted). A change that
   * would take a session past it fails with `SessionDataError` (413) and nothing of it is
   * written; a change that leaves a session no larger than it was (one stored before the cap
   * was lowered) is allowed. Checked by the engine, so it holds for every store.
   * @default 65536 (64 KiB)
   */
  maxSessionBytes?: number;
  /**
   * The most live sessions one user may have (SPEC P4): a login (`session.login()`, or a
   * migrated old session of a user) beyond it does what `onLimit` says, atomically in the
   * store, on Redis Cluster too. Sessions past a deadline do not count; the session a login
   * replaces does not either; `regenerate()` of a user's session adds none and is not capped.
   * Off when undefined.
   * @default undefined (no cap)
   */
  maxSessionsPerUser?: number | undefined;
  /**
   * What a login beyond `maxSessionsPerUser` does: `'end-least-recent'` ends the user's least
   * recently seen sessions (their cookies are then anonymous) to make room;
   * `'refuse'` fails the login with `SessionLimitError` (409) and stores nothing. Only with
   * `maxSessionsPerUser`.
   * @default 'end-least-recent'
   */
  onLimit?: OnLimit | undefined;
  /**
   * Called with failures that do not fail the request, so they are not swallowed silently:
   * store and hook failures during logout (SPEC L2). Failures that fail the request go
   * through the framework's error path instead. A throwing `onError` is logged.
   * @default logs one line through `logger.error`
   */
  onError?: (error: SessionError, report: ErrorReport) => void;
  /**
   * Loads a user's attributes for `session.login(userId)` and for the refresh that follows
   * `userChanged(userId)` (SPEC U1–U3). Answer `null` for a deleted or disabled user: that
   * ends the user's sessions at their next request. Bounded by `storeTimeout`; a failure
   * fails that request with `SessionHookError` (500), never the process (F4).
   * Required to use `session.login()`. @default undefined
   */
  loadUser?: ((userId: string) => SessionUserAttributes | null | Promise<SessionUserAttributes | null>) | undefined;
  /**
   * Keeps users logged in while an app moves from express-session or koa-session (issue 16):
   * a reader made by `fromExpressSession({ secret, store, … })` or `fromKoaSession({ keys,
   * store, … })`. A request that carries only the old cookie, correctly signed, has its old
   * session moved into a new sessionware session before the handler runs (its data, and its
   * user through the reader's `userIdOf` and `loadUser`): new cookies issued, the old cookie
   * cleared, the old record deleted. An old cookie that does not verify is anonymous and
   * cleared. Requests without the old cookie pay nothing. Remove it once the migration
   * window (the old sessions' lifetime) has passed.
   * @default undefined (off)
   */
  migrateFrom?: LegacySessionReader | undefined;
  /** Where warnings go. @default console */
  logger?: { warn(message: string): void; error(message: string, error?: unknown): void };
  /** Environment read for NODE_ENV and SESSION_SECRETS; `{}` is NODE_ENV unset, so production rules (SPEC K3). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The validated, defaulted, frozen form of {@link SessionOptions}; times in milliseconds. */
export interface ResolvedOptions {
  readonly secrets: readonly string[];
  readonly store: Store;
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  /** The timeouts of a remembered login (SPEC P1). */
  readonly remember: ResolvedRemember;
  readonly storeTimeoutMs: number;
  /** `renewalInterval` in milliseconds; undefined when renewal is off (SPEC P2). */
  readonly renewalIntervalMs: number | undefined;
  /** `renewalGrace` in milliseconds. */
  readonly renewalGraceMs: number;
  readonly cookie: ResolvedCookie;
  readonly verifyCacheSize: number;
  readonly maxSessionBytes: number;
  /** The cap on a user's live sessions; undefined for none (SPEC P4). */
  readonly maxSessionsPerUser: number | undefined;
  /** What a login beyond `maxSessionsPerUser` does. */
  readonly onLimit: OnLimit;
  /** True unless NODE_ENV is exactly `development` or `test`: the secret rules fail closed (SPEC K3). */
  readonly production: boolean;
  readonly onError: (error: SessionError, report: ErrorReport) => void;
  readonly loadUser: SessionOptions['loadUser'];
  readonly migrateFrom: LegacySessionReader | undefined;
  readonly logger: { warn(message: string): void; error(message: string, error?: unknown): void };
}

const SESSION_OPTION_NAMES = Object.keys({
  secrets: true, store: true, idleTimeout: true, absoluteTimeout: true, remember: true, storeTimeout: true, renewalInterval: true, renewalGrace: true, cookie: true,
  verifyCacheSize: true, maxSessionBytes: true, maxSessionsPerUser: true, onLimit: true, onError: true, loadUser: true, migrateFrom: true, logger: true, env: true,
} satisfies Record<keyof SessionOptions, true>);

/** The bound on every store call when `storeTimeout` is not given. */
const DEFAULT_STORE_TIMEOUT: Duration = '2s';

/** `storeTimeout` in milliseconds, validated and defaulted for `session()` and `userSessions()` alike. */
export function resolveStoreTimeout(storeTimeout: Duration | undefined): number {
  return parseDuration('storeTimeout', storeTimeout ?? DEFAULT_STORE_TIMEOUT, MAX_TIMER_MS);
}

/** The cookie settings when no cookie option is given. */
export function defaultCookieSettings(): ResolvedCookie {
  return resolveCookie(undefined);
}

/**
 * Validates and defaults the options in one place, converting durations to milliseconds.
 * Throws {@link SessionConfigError} naming the option on any bad value.
 */
export function resolveOptions(input: SessionOptions = {}): ResolvedOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SessionConfigError('options are invalid: expected an object');
  }
  if ('trustProxy' in input) {
    // Removed in contract v2: one proxy-trust setting, the framework's, so the two cannot disagree (SPEC C4).
    throw new SessionConfigError("option trustProxy was removed: whether a request is HTTPS is the framework's answer (Express: app.set('trust proxy', …); Koa: app.proxy = true)");
  }
  checkOptionNames(input, SESSION_OPTION_NAMES, { hints: true });
  const env = input.env ?? process.env;
  const production = !isDevelopmentEnv(env);
  const logger = input.logger ?? console;
  const store = input.store ?? new MemoryStore();
  checkStore(store);
  const verifyCacheSize = input.verifyCacheSize ?? 10_000;
  if (!Number.isSafeInteger(verifyCacheSize) || verifyCacheSize < 0) {
    throw new SessionConfigError('option verifyCacheSize is invalid: expected a non-negative integer');
  }
  const maxSessionBytes = input.maxSessionBytes ?? 65_536;
  if (!Number.isSafeInteger(maxSessionBytes) || maxSessionBytes < 1) {
    throw new SessionConfigError('option maxSessionBytes is invalid: expected a positive integer');
  }
  const { maxSessionsPerUser, onLimit } = resolveSessionLimit(input.maxSessionsPerUser, input.onLimit);
  if (input.loadUser !== undefined && typeof input.loadUser !== 'function') {
    throw new SessionConfigError('option loadUser is invalid: expected a function');
  }
  if (input.onError !== undefined && typeof input.onError !== 'function') {
    throw new SessionConfigError('option onError is invalid: expected a function');
  }
  checkReader(input.migrateFrom, input.loadUser !== undefined);
  const timeouts = {
    idleTimeoutMs: parseDuration('idleTimeout', input.idleTimeout ?? '12h'),
    absoluteTimeoutMs: parseDuration('absoluteTimeout', input.absoluteTimeout ?? '7d'),
  };
  const onError = input.onError ?? ((error: SessionError, report: ErrorReport) => {
    logger.error(`sessionware: ${report.operation} failed (${error.code}): ${error.message}`);
  });
  return Object.freeze({
    secrets: resolveSecrets(input.secrets, env, production, logger),
    store,
    ...timeouts,
    remember: resolveRemember(input.remember, timeouts),
    storeTimeoutMs: resolveStoreTimeout(input.storeTimeout),
    ...resolveRenewal(input, store),
    cookie: resolveCookie(input.cookie),
    verifyCacheSize,
    maxSessionBytes,
    maxSessionsPerUser,
    onLimit,
    production,
    onError,
    loadUser: input.loadUser,
    migrateFrom: input.migrateFrom,
    logger,
  });
}
