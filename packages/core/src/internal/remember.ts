import { SessionConfigError, SessionDataError } from '../errors.js';
import type { CookieExpiry } from './cookie-options.js';
import { parseDuration, type Duration } from './duration.js';
import { checkOptionNames } from './option-names.js';

/** The timeouts of a remembered login (`login(userId, { remember: true })`, SPEC P1). */
export interface RememberOptions {
  /** Idle timeout of a remembered session. @default the `idleTimeout` option */
  idleTimeout?: Duration;
  /** Absolute timeout of a remembered session, from its login. @default the `absoluteTimeout` option */
  absoluteTimeout?: Duration;
}

/** {@link RememberOptions} in milliseconds. */
export interface ResolvedRemember {
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
}

const REMEMBER_OPTION_NAMES = Object.keys({ idleTimeout: true, absoluteTimeout: true } satisfies Record<keyof RememberOptions, true>);

function rememberTimeouts(input: unknown, where: string, fallback: ResolvedRemember, invalid: (message: string) => Error): ResolvedRemember {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid(`option ${where} is invalid: expected an object`);
  checkOptionNames(input, REMEMBER_OPTION_NAMES, { where: `${where}.` });
  const { idleTimeout, absoluteTimeout } = input as RememberOptions;
  return Object.freeze({
    idleTimeoutMs: idleTimeout === undefined ? fallback.idleTimeoutMs : parseDuration(`${where}.idleTimeout`, idleTimeout),
    absoluteTimeoutMs: absoluteTimeout === undefined ? fallback.absoluteTimeoutMs : parseDuration(`${where}.absoluteTimeout`, absoluteTimeout),
  });
}

/** The `remember` option, validated and defaulted to the session's own timeouts. */
export function resolveRemember(input: RememberOptions | undefined, sessionTimeouts: ResolvedRemember): ResolvedRemember {
  if (input === undefined) return sessionTimeouts;
  return rememberTimeouts(input, 'remember', sessionTimeouts, (message) => new SessionConfigError(message));
}

/** Options of `session.login()`. */
export interface LoginOptions {
  /**
   * "Remember me" (SPEC P1): `true` gives this session persistent cookies and the `remember`
   * option's timeouts; an object gives it persistent cookies and these timeouts (each
   * defaulting to the `remember` option's); `false` gives it browser-session cookies and the
   * session's usual timeouts. Unset: the `cookie.expiry` option and the usual timeouts.
   * @default undefined
   */
  remember?: boolean | RememberOptions;
}

/** What a login's choice gives its new record: its own cookie expiry and timeouts. */
export interface LoginLifetime {
  readonly cookieExpiry: CookieExpiry | undefined;
  /** The record's own idle timeout, or undefined for the session's usual one. */
  readonly idleTimeoutMs: number | undefined;
  readonly absoluteTimeoutMs: number;
}

const LOGIN_OPTION_NAMES = Object.keys({ remember: true } satisfies Record<keyof LoginOptions, true>);

/**
 * The lifetime a login chose (SPEC P1), from its options: checked like the engine's options, but
 * a bad value is this request's mistake, so it throws `SessionDataError`.
 */
export function loginLifetime(input: LoginOptions | undefined, usual: ResolvedRemember, remembered: ResolvedRemember): LoginLifetime {
  const invalid = (message: string): Error => new SessionDataError(`login ${message}`);
  if (input === undefined) return { cookieExpiry: undefined, idleTimeoutMs: undefined, absoluteTimeoutMs: usual.absoluteTimeoutMs };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('options are invalid: expected an object');
  try {
    checkOptionNames(input, LOGIN_OPTION_NAMES);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const { remember } = input;
  if (remember === undefined) return { cookieExpiry: undefined, idleTimeoutMs: undefined, absoluteTimeoutMs: usual.absoluteTimeoutMs };
  if (remember === false) return { cookieExpiry: 'browser-session', idleTimeoutMs: undefined, absoluteTimeoutMs: usual.absoluteTimeoutMs };
  let timeouts = remembered;
  if (remember !== true) {
    try {
      timeouts = rememberTimeouts(remember, 'remember', remembered, (message) => new SessionConfigError(message));
    } catch (error) {
      throw invalid((error as Error).message);
    }
  }
  return { cookieExpiry: 'persistent', idleTimeoutMs: timeouts.idleTimeoutMs, absoluteTimeoutMs: timeouts.absoluteTimeoutMs };
}
