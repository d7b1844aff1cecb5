import { renderCookies } from './internal/cookie-policy.js';
import { defaultCookieSettings, type ResolvedCookie } from './options.js';

/**
 * The cookie settings of the session engines this process created, so that a logout route
 * that finds no session of its own still clears the right cookies (SPEC L6). Bounded: an app
 * has one or a few.
 */
const known = new Map<string, ResolvedCookie>();
const MAX_KNOWN = 16;

/** Remembers an engine's cookie settings. */
export function rememberCookieSettings(cookie: ResolvedCookie): void {
  const key = JSON.stringify(cookie);
  if (known.has(key) || known.size >= MAX_KNOWN) return;
  known.set(key, cookie);
}

/** Set-Cookie values clearing the cookies of every known setting (the defaults when none). */
export function clearingCookies(secureRequest: boolean, now = Date.now()): string[] {
  const settings = known.size > 0 ? [...known.values()] : [defaultCookieSettings()];
  return settings.flatMap((cookie) => renderCookies(cookie, null, secureRequest, now));
}
