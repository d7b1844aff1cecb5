import type { ResolvedOptions } from '../../options.js';
import type { StoredSession, StoredUser } from '../../store.js';
import type { CookieExpiry } from '../cookie-options.js';
import { generateHandle } from '../id.js';
import type { LoginLifetime } from '../remember.js';
import type { RequestState } from './state.js';

/** Longest User-Agent kept for session listings (SPEC U4). */
const MAX_USER_AGENT = 256;

/** This request's User-Agent as a new user's session keeps it for listings. */
export function requestUserAgent(state: RequestState): string | undefined {
  return state.request.userAgent?.slice(0, MAX_USER_AGENT);
}

/** A new record but its data. */
export type NewRecord = Omit<StoredSession, 'data'>;

/**
 * How a new record's lifetime is chosen: fresh from the options (a new session, a migrated one),
 * chosen by a login (SPEC P1, P3: its cookie expiry and timeouts, and `authenticatedAt`), or
 * kept from the session it replaces (a logged-in session's `regenerate()`: its creation,
 * absolute deadline and choices stay, so a new id never extends a session past its absolute
 * timeout).
 */
export type Lifetime =
  | { readonly from: 'options' }
  | { readonly from: 'login'; readonly login: LoginLifetime }
  | { readonly from: 'kept'; readonly record: KeptLifetime };

/** What a logged-in session's `regenerate()` keeps of the record it replaces. */
export interface KeptLifetime {
  readonly createdAt: number;
  readonly absoluteExpiresAt: number;
  readonly authenticatedAt: number | undefined;
  readonly cookieExpiry: CookieExpiry | undefined;
  readonly idleTimeoutMs: number | undefined;
}

/**
 * A session created at `now` (SPEC T2): its deadlines by `lifetime`; a user's session also gets
 * its user, a new handle and the User-Agent shown in listings (U1, U4).
 */
export function newSessionRecord(options: ResolvedOptions, now: number, user: StoredUser | null, userAgent: string | undefined, lifetime: Lifetime = { from: 'options' }): NewRecord {
  let record: NewRecord;
  if (lifetime.from === 'kept') {
    const kept = lifetime.record;
    const idle = kept.idleTimeoutMs ?? options.idleTimeoutMs;
    record = { createdAt: kept.createdAt, lastSeenAt: now, absoluteExpiresAt: kept.absoluteExpiresAt, expiresAt: Math.min(now + idle, kept.absoluteExpiresAt) };
    if (kept.authenticatedAt !== undefined) record.authenticatedAt = kept.authenticatedAt;
    if (kept.cookieExpiry !== undefined) record.cookieExpiry = kept.cookieExpiry;
    if (kept.idleTimeoutMs !== undefined) record.idleTimeoutMs = kept.idleTimeoutMs;
  } else {
    const chosen = lifetime.from === 'login' ? lifetime.login : undefined;
    const idle = chosen?.idleTimeoutMs ?? options.idleTimeoutMs;
    const absolute = chosen?.absoluteTimeoutMs ?? options.absoluteTimeoutMs;
    record = { createdAt: now, lastSeenAt: now, absoluteExpiresAt: now + absolute, expiresAt: now + Math.min(idle, absolute) };
    if (chosen !== undefined) {
      record.authenticatedAt = now;
      if (chosen.cookieExpiry !== undefined) record.cookieExpiry = chosen.cookieExpiry;
      if (chosen.idleTimeoutMs !== undefined) record.idleTimeoutMs = chosen.idleTimeoutMs;
    }
  }
  if (user !== null) {
    record.user = user;
    record.handle = generateHandle();
    if (userAgent !== undefined && userAgent !== '') record.userAgent = userAgent;
  }
  return record;
}
