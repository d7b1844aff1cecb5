import type { SessionDeadlines, StoredSession, UserSessionEntry } from '../stored-session.js';

/** A copy of a record: `MemoryStore` copies on the way in and on the way out. */
export function copy(session: StoredSession): StoredSession {
  const result: StoredSession = { ...session, data: { ...session.data } };
  if (session.user !== undefined) result.user = { ...session.user };
  return result;
}

/** Whether the record is past either deadline at `now`. */
export function isExpired(session: StoredSession, now: number): boolean {
  return now >= session.expiresAt || now >= session.absoluteExpiresAt;
}

/** What `peek` answers of a live record (SPEC P5). */
export function deadlinesOf(session: StoredSession): SessionDeadlines {
  const deadlines: SessionDeadlines = { expiresAt: session.expiresAt, absoluteExpiresAt: session.absoluteExpiresAt };
  if (session.authenticatedAt !== undefined) deadlines.authenticatedAt = session.authenticatedAt;
  return deadlines;
}

/** A live user's record `id` as listed (SPEC U4, P3); undefined for a record without a handle. */
export function listingEntry(id: string, session: StoredSession): UserSessionEntry | undefined {
  if (session.handle === undefined) return undefined;
  const entry: UserSessionEntry = { handle: session.handle, sessionId: id, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt };
  if (session.userAgent !== undefined) entry.userAgent = session.userAgent;
  if (session.authenticatedAt !== undefined) entry.authenticatedAt = session.authenticatedAt;
  return entry;
}
