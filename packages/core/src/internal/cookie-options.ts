import { serialize } from 'cookie';
import { SessionConfigError } from '../errors.js';
import { checkOptionNames } from './option-names.js';

/** `browser-session`: no Expires/Max-Age. `persistent`: Max-Age = time to the earlier deadline. */
export type CookieExpiry = 'browser-session' | 'persistent';

/** Cookie options. Both cookies share every attribute (SPEC C1). Unknown names throw (SPEC O1). */
export interface CookieOptions {
  /**
   * Name of the signed, HttpOnly session cookie. A `__Host-` name is checked at startup:
   * Secure, Path=/ and no Domain; a `__Secure-` name: Secure (SPEC O3).
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
  /** `'none'` requires `secure` not `false` (SPEC O3). @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none';
  /** @default '/' */
  path?: string;
  /** No Domain attribute when unset (host-only cookie). @default undefined */
  domain?: string;
  /**
   * `'auto'`: Secure when the request is HTTPS, as the framework answers it: Express
   * `req.secure` (under its `trust proxy` setting), Koa `ctx.secure` (under `app.proxy`).
   * A cookie that needs Secure going out on plain HTTP is warned about once per process.
   * @default 'auto'
   */
  secure?: 'auto' | boolean;
}

/** The validated cookie settings. `needsSecure`: browsers drop these cookies unless Secure. */
export interface ResolvedCookie {
  readonly name: string;
  readonly indicator: string | false;
  readonly expiry: CookieExpiry;
  readonly sameSite: 'lax' | 'strict' | 'none';
  readonly path: string;
  readonly domain: string | undefined;
  readonly secure: 'auto' | boolean;
  readonly needsSecure: boolean;
}

const COOKIE_OPTION_NAMES = Object.keys({
  name: true, indicator: true, expiry: true, sameSite: true, path: true, domain: true, secure: true,
} satisfies Record<keyof CookieOptions, true>);

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

/**
 * The names of the cookies a setting writes, session cookie first: the one place that reads
 * `indicator: false` once options are resolved.
 */
export function cookieNamesOf(cookie: Pick<ResolvedCookie, 'name' | 'indicator'>): string[] {
  return cookie.indicator === false ? [cookie.name] : [cookie.name, cookie.indicator];
}

/** The cookie rules a browser would silently break, refused at startup (SPEC O3, C4). */
function checkPrefixRules(names: readonly string[], secure: 'auto' | boolean, path: string, domain: string | undefined, sameSite: string): void {
  if (sameSite === 'none' && secure === false) {
    throw new SessionConfigError('option cookie.secure is invalid: SameSite=None requires Secure');
  }
  for (const cookieName of names) {
    if (cookieName.startsWith('__Host-')) {
      if (secure === false) throw new SessionConfigError(`option cookie.secure is invalid: ${cookieName} requires Secure`);
      if (path !== '/') throw new SessionConfigError(`option cookie.path is invalid: ${cookieName} requires Path=/`);
      if (domain !== undefined) throw new SessionConfigError(`option cookie.domain is invalid: ${cookieName} forbids Domain`);
    } else if (cookieName.startsWith('__Secure-') && secure === false) {
      throw new SessionConfigError(`option cookie.secure is invalid: ${cookieName} requires Secure`);
    }
  }
}

/** Validates and defaults the cookie options; throws naming `cookie.<option>`. */
export function resolveCookie(input: CookieOptions | undefined): ResolvedCookie {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new SessionConfigError('option cookie is invalid: expected an object');
  }
  if (input !== undefined) checkOptionNames(input, COOKIE_OPTION_NAMES, { where: 'cookie.', hints: true });
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
  const all = cookieNamesOf({ name, indicator });
  checkPrefixRules(all, secure, path, domain, sameSite);
  const prefixed = all.some((cookieName) => cookieName.startsWith('__Host-') || cookieName.startsWith('__Secure-'));
  return Object.freeze({
    name,
    indicator,
    expiry: oneOf('cookie.expiry', input?.expiry, ['browser-session', 'persistent'] as const, 'browser-session'),
    sameSite,
    path,
    domain,
    // A prefixed cookie is only accepted by browsers when Secure, so 'auto' becomes true.
    secure: prefixed ? true : secure,
    needsSecure: prefixed || sameSite === 'none' || secure === true,
  });
}
