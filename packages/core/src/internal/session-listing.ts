import type { UserSessionEntry } from '../store.js';

/** A listed session as shown outside the store: no session id (SPEC U4). */
export function toSessionListing(entry: UserSessionEntry): { handle: string; createdAt: number; lastSeenAt: number; userAgent: string | null; authenticatedAt: number | null } {
  return { handle: entry.handle, createdAt: entry.createdAt, lastSeenAt: entry.lastSeenAt, userAgent: entry.userAgent ?? null, authenticatedAt: entry.authenticatedAt ?? null };
}
