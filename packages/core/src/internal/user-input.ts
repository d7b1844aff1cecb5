import { SessionDataError } from '../errors.js';
import type { UserSessionEntry } from '../store.js';

/** A user id as the per-user operations take it: a non-empty string. */
export function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId.length === 0) {
    throw new SessionDataError('user id is invalid: expected a non-empty string');
  }
  return userId;
}

/** A session handle as revocation takes it: a non-empty string. */
export function checkHandle(handle: unknown): string {
  if (typeof handle !== 'string' || handle.length === 0) {
    throw new SessionDataError('handle is invalid: expected a non-empty string');
  }
  return handle;
}

/** A listed session as shown outside the store: no session id (SPEC U4). */
export function toSessionListing(entry: UserSessionEntry): { handle: string; createdAt: number; lastSeenAt: number; userAgent: string | null } {
  return { handle: entry.handle, createdAt: entry.createdAt, lastSeenAt: entry.lastSeenAt, userAgent: entry.userAgent ?? null };
}
