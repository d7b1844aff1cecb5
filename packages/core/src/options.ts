import { serialize } from 'cookie';
import { SessionConfigError, type SessionError } from './errors.js';
import { MAX_TIMER_MS, parseDuration, type Duration } from './internal/duration.js';
import { resolveSecrets } from './internal/secrets.js';
import { MemoryStore } from './memory-store.js';
import type { SessionUserAttributes } from './session.js';
import type { Store } from './store.js';

/** `browser-session`: no Expires/Max-Age. `persistent`: Max-Age = time to the earlier deadline. */
export type CookieExpiry = 'browser-session' | 'persistent';

/** Cookie options. Both cookies share every attribute (SPEC C1). */
export interface CookieOptions {
  /**
   * Name of the signed, HttpOnly session cookie. A `__Host-` name is checked at startup:
   * Secure, Path=/ and no Domain.
   * @default 'sw.sid'
   */
  name?: string;
  /**
   * Name of the client-readable indicator cookie (value `1`, no secret), or `false` for none.
   * @default `${name}.active`
   */
  indicator?: string | false;
  /** @default 'browser-session' */
  expiry?: CookieExpiry;
  /** @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none';
  /** @default '/' */
  path?: string;
  /** No Domain attribute when unset (host-only cookie). @default undefined */
  domain?: string;
  /**
   * `'auto'`: Secure when the request is HTTPS, as the framework answers it: Express
   * `req.secure` (under its `trust proxy` setting), Koa `ctx.secure` (under `app.proxy`).
   * @default 'auto'
   */
  secure?: 'auto' | boolean;
}

/** Information passed to {@link SessionOptions.onError}. No ids or cookie values (SPEC F5). */
export interface ErrorReport {
  /** What was being done when the failure was absorbed: `logout` or `beforeLogout`. */
  operation: string;
}

/** Options of the session engine, shared by `session()` of every adapter. */
export interface SessionOptions {
  /**
   * Signing secrets: an ordered list, or a comma-separated string; the first signs, all verify.
   * Required (≥ 32 bytes, no placeholder) when NODE_ENV=production.
   * @default process.env.SESSION_SECRETS, else (outside production) one random secret per process
   */
  secrets?: string | readonly string[] | undefined;
  /** @default a new {@link MemoryStore} */
  store?: Store;
  /** Idle timeout, slid by each request that loads the session. @default '12h' */
  idleTimeout?: Duration;
  /** Absolute timeout from the session's creation; never slides. @default '7d' */
  absoluteTimeout?: Duration;
  /** Bound on every store call; past it the request fails with 503. @default '2s' */
  storeTimeout?: Duration;
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
  /** Where warnings go. @default console */
  logger?: { warn(message: string): void; error(message: string, error?: unknown): void };
  /** Environment read for NODE_ENV and SESSION_SECRETS. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The validated, defaulted, frozen form of {@link SessionOptions}; times in milliseconds. */
export interface ResolvedOptions {
  readonly secrets: readonly string[];
  readonly store: Store;
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  readonly storeTimeoutMs: number;
  readonly cookie: Readonly<{
    name: string;
    indicator: string | false;
    expiry: CookieExpiry;
    sameSite: 'lax' | 'strict' | 'none';
    path: string;
    domain: string | undefined;
    secure: 'auto' | boolean;
  }>;
  readonly verifyCacheSize: number;
  readonly maxSessionBytes: number;
  readonly production: boolean;
  readonly onError: (error: SessionError, report: ErrorReport) => void;
  readonly loadUser: SessionOptions['loadUser'];
  readonly logger: { warn(message: string): void; error(message: string, error?: unknown): void };
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new SessionConfigError(`option ${option} is invalid: expected one of ${allowed.join(', ')}`);
}

function checkCookieName(option: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new SessionConfigError(`option ${option} is invalid: expected a non-empty string`);
  }
  try {
    serialize(name, '');
  } catch (cause) {
    throw new SessionConfigError(`option ${option} is invalid: not a cookie name`, { cause });
  }
  return name;
}

/**
 * The names the cookie options resolve to (defaults `sw.sid` and `sw.sid.active`), e.g. for
 * front-end code that reads the indicator. Not validated: the session factory does that.
 */
export function cookieNames(cookie?: CookieOptions): { session: string; indicator: string | false } {
  const session = cookie?.name ?? 'sw.sid';
  return { session, indicator: cookie?.indicator === false ? false : (cookie?.indicator ?? `${session}.active`) };
}

/** The cookie settings when no cookie option is given. */
export function defaultCookieSettings(): ResolvedOptions['cookie'] {
  return resolveCookie(undefined);
}

function resolveCookie(input: CookieOptions | undefined): ResolvedOptions['cookie'] {
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    throw new SessionConfigError('option cookie is invalid: expected an object');
  }
  const names = cookieNames(input);
  const name = checkCookieName('cookie.name', names.session);
  const indicator = names.indicator === false ? false : checkCookieName('cookie.indicator', names.indicator);
  if (indicator === name) {
    throw new SessionConfigError('option cookie.indicator is invalid: must differ from cookie.name');
  }
  const path = input?.path ?? '/';
  if (typeof path !== 'string' || !path.startsWith('/') || /[;\s]/.test(path)) {
    throw new SessionConfigError('option cookie.path is invalid: expected a path starting with /');
  }
  const domain = input?.domain;
  if (domain !== undefined) {
    try {
      if (typeof domain !== 'string' || domain.length === 0) throw new TypeError('not a string');
      serialize('x', '', { domain });
    } catch (cause) {
      throw new SessionConfigError('option cookie.domain is invalid: expected a domain name', { cause });
    }
  }
  const secure = input?.secure ?? 'auto';
  if (secure !== 'auto' && typeof secure !== 'boolean') {
    throw new SessionConfigError("option cookie.secure is invalid: expected 'auto', true or false");
  }
  const sameSite = oneOf('cookie.sameSite', input?.sameSite, ['lax', 'strict', 'none'] as const, 'lax');
  if (sameSite === 'none' && secure === false) {
    throw new SessionConfigError('option cookie.secure is invalid: SameSite=None requires Secure');
  }
  for (const cookieName of indicator === false ? [name] : [name, indicator]) {
    if (cookieName.startsWith('__Host-')) {
      if (secure === false) throw new SessionConfigError(`option cookie.secure is invalid: ${cookieName} requires Secure`);
      if (path !== '/') throw new SessionConfigError(`option cookie.path is invalid: ${cookieName} requires Path=/`);
      if (domain !== undefined) throw new SessionConfigError(`option cookie.domain is invalid: ${cookieName} forbids Domain`);
    } else if (cookieName.startsWith('__Secure-') && secure === false) {
      throw new SessionConfigError(`option cookie.secure is invalid: ${cookieName} requires Secure`);
    }
  }
  const prefixed = name.startsWith('__Host-') || name.startsWith('__Secure-');
  return Object.freeze({
    name,
    indicator,
    expiry: oneOf('cookie.expiry', input?.expiry, ['browser-session', 'persistent'] as const, 'browser-session'),
    sameSite,
    path,
    domain,
    // A prefixed cookie is only accepted by browsers when Secure, so 'auto' becomes true.
    secure: prefixed ? true : secure,
  });
}

/**
 * Validates and defaults the options in one place, converting durations to milliseconds.
 * Throws {@link SessionConfigError} naming the option on any bad value.
 */
export function resolveOptions(input: SessionOptions = {}): ResolvedOptions {
  if (typeof input !== 'object' || input === null) {
    throw new SessionConfigError('options are invalid: expected an object');
  }
  const env = input.env ?? process.env;
  const production = env['NODE_ENV'] === 'production';
  const logger = input.logger ?? console;
  const store = input.store ?? new MemoryStore();
  for (const method of ['load', 'create', 'update', 'replace', 'destroy', 'userVersion', 'markUserChanged', 'listUserSessions', 'revokeUserSessions'] as const) {
    if (typeof store[method] !== 'function') {
      throw new SessionConfigError(`option store is invalid: missing method ${method}()`);
    }
  }
  const verifyCacheSize = input.verifyCacheSize ?? 10_000;
  if (!Number.isSafeInteger(verifyCacheSize) || verifyCacheSize < 0) {
    throw new SessionConfigError('option verifyCacheSize is invalid: expected a non-negative integer');
  }
  const maxSessionBytes = input.maxSessionBytes ?? 65_536;
  if (!Number.isSafeInteger(maxSessionBytes) || maxSessionBytes < 1) {
    throw new SessionConfigError('option maxSessionBytes is invalid: expected a positive integer');
  }
  if ('trustProxy' in input) {
    // Removed in contract v2: one proxy-trust setting, the framework's, so the two cannot disagree (SPEC C4).
    throw new SessionConfigError("option trustProxy was removed: whether a request is HTTPS is the framework's answer (Express: app.set('trust proxy', …); Koa: app.proxy = true)");
  }
  if (input.loadUser !== undefined && typeof input.loadUser !== 'function') {
    throw new SessionConfigError('option loadUser is invalid: expected a function');
  }
  if (input.onError !== undefined && typeof input.onError !== 'function') {
    throw new SessionConfigError('option onError is invalid: expected a function');
  }
  const onError = input.onError ?? ((error: SessionError, report: ErrorReport) => {
    logger.error(`sessionware: ${report.operation} failed (${error.code}): ${error.message}`);
  });
  return Object.freeze({
    secrets: resolveSecrets(input.secrets, env, production, logger),
    store,
    idleTimeoutMs: parseDuration('idleTimeout', input.idleTimeout ?? '12h'),
    absoluteTimeoutMs: parseDuration('absoluteTimeout', input.absoluteTimeout ?? '7d'),
    storeTimeoutMs: parseDuration('storeTimeout', input.storeTimeout ?? '2s', MAX_TIMER_MS),
    cookie: resolveCookie(input.cookie),
    verifyCacheSize,
    maxSessionBytes,
    production,
    onError,
    loadUser: input.loadUser,
    logger,
  });
}
