import { createHash, randomBytes } from 'node:crypto';

/** The random part of every session id: 32 bytes (256 bits) from the CSPRNG, base64url (SPEC T1). */
function randomPart(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The tag of a user: 22 base64url characters (132 bits) of SHA-256 over the user id. All of a
 * user's session ids start with it, so a store can keep one user's keys together (a Redis
 * Cluster hash tag, SPEC S1). It is a hash, not the id, but a guessable user id (an email
 * address) can be confirmed against it: prefer opaque user ids.
 */
export function userTag(userId: string): string {
  return createHash('sha256').update('sessionware-user\0').update(userId).digest('base64url').slice(0, 22);
}

/**
 * A new session id: 43 random base64url characters, prefixed with `<user tag>.` for a
 * logged-in session (SPEC T1, S1).
 */
export function generateSessionId(userId?: string): string {
  return userId === undefined ? randomPart() : `${userTag(userId)}.${randomPart()}`;
}

/** The part of a session id that groups it: the user tag of a logged-in session, else the whole id. */
export function sessionIdTag(sessionId: string): string {
  const dot = sessionId.indexOf('.');
  return dot === -1 ? sessionId : sessionId.slice(0, dot);
}

/** Session ids as `generateSessionId` makes them; anything else in a cookie is refused. */
export const SESSION_ID_PATTERN = /^(?:[A-Za-z0-9_-]{22}\.)?[A-Za-z0-9_-]{43}$/;

/** An opaque handle naming a session in its user's listing: 16 random bytes (SPEC U4). */
export function generateHandle(): string {
  return randomBytes(16).toString('base64url');
}
