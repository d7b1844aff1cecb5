import type { ResolvedOptions } from '../../options.js';
import type { StoredSession, StoredUser } from '../../store.js';
import { generateHandle } from '../id.js';
import type { RequestState } from './state.js';

/** Longest User-Agent kept for session listings (SPEC U4). */
const MAX_USER_AGENT = 256;

/** This request's User-Agent as a new user's session keeps it for listings. */
export function requestUserAgent(state: RequestState): string | undefined {
  return state.request.userAgent?.slice(0, MAX_USER_AGENT);
}

/**
 * A session created at `now` (SPEC T2): both deadlines from the options; a user's session also
 * gets its user, a new handle and the User-Agent shown in listings (U1, U4).
 */
export function newSessionRecord(options: ResolvedOptions, now: number, user: StoredUser | null, userAgent: string | undefined): Omit<StoredSession, 'data'> {
  const { idleTimeoutMs, absoluteTimeoutMs } = options;
  const record: Omit<StoredSession, 'data'> = {
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt: now + absoluteTimeoutMs,
    expiresAt: now + Math.min(idleTimeoutMs, absoluteTimeoutMs),
  };
  if (user !== null) {
    record.user = user;
    record.handle = generateHandle();
    if (userAgent !== undefined && userAgent !== '') record.userAgent = userAgent;
  }
  return record;
}
