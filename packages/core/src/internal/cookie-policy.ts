import { serialize, type SerializeOptions } from 'cookie';
import type { ResolvedOptions } from '../options.js';
import { cookieNamesOf, type CookieExpiry } from './cookie-options.js';

/** Browsers cap cookie lifetime at 400 days (RFC 6265bis); so do we (SPEC C2). */
export const MAX_COOKIE_AGE_SECONDS = 400 * 24 * 60 * 60;

/** A live session's cookie: the signed token, the server-side deadline it must not outlive, its expiry mode. */
export interface LiveCookie {
  token: string;
  /** The earlier of the idle and absolute deadlines, in ms since the epoch. */
  expiresAt: number;
  /** The session's expiry mode: its own (a remembered login, SPEC P1) or the option's. */
  expiry: CookieExpiry;
}

/**
 * The one function that writes both cookies (SPEC C1): the session cookie and the indicator
 * share every attribute because they are serialised from the same options object. `null`
 * clears both (Max-Age=0 with the Name/Path/Domain/Secure/SameSite they were set with).
 */
export function renderCookies(
  cookie: ResolvedOptions['cookie'],
  live: LiveCookie | null,
  secureRequest: boolean,
  now: number,
): string[] {
  const attributes: SerializeOptions = {
    path: cookie.path,
    sameSite: cookie.sameSite,
    secure: cookie.secure === 'auto' ? secureRequest : cookie.secure,
  };
  if (cookie.domain !== undefined) attributes.domain = cookie.domain;
  if (live === null) {
    attributes.maxAge = 0;
    attributes.expires = new Date(0);
  } else if (live.expiry === 'persistent') {
    const seconds = Math.min(Math.max(0, Math.floor((live.expiresAt - now) / 1000)), MAX_COOKIE_AGE_SECONDS);
    attributes.maxAge = seconds;
    attributes.expires = new Date(now + seconds * 1000);
  }
  const [, indicator] = cookieNamesOf(cookie);
  const headers = [serialize(cookie.name, live?.token ?? '', { ...attributes, httpOnly: true })];
  if (indicator !== undefined) headers.push(serialize(indicator, live === null ? '' : '1', attributes));
  return headers;
}
