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

/** Session ids as `generateSessionId` makes them: an optional 22-character user tag and a dot, then 43 random characters. */
export const SESSION_ID_PATTERN = /^(?:([A-Za-z0-9_-]{22})\.)?([A-Za-z0-9_-]{43})$/;

/** The two parts of a session id (see {@link parseSessionId}). */
export interface SessionIdParts {
  /** The user tag (`userTag(userId)`) of a user's session; `undefined` for an anonymous one. */
  readonly tag: string | undefined;
  /** The 43 random characters. */
  readonly random: string;
}

/**
 * The parts of a session id as `generateSessionId` makes them (`[<user tag>.]<43 random
 * characters>`), or `undefined` for anything else: the one place that knows the id's format.
 * The engine refuses a cookie whose id it does not parse; a store uses the tag to keep one
 * user's keys together.
 */
export function parseSessionId(sessionId: string): SessionIdParts | undefined {
  const match = SESSION_ID_PATTERN.exec(sessionId);
  const random = match?.[2];
  return random === undefined ? undefined : { tag: match?.[1], random };
}

/**
 * The part of a session id that groups it: the user tag of a user's session, else the whole
 * id (an anonymous id, or a string that is no session id).
 */
export function sessionIdTag(sessionId: string): string {
  return parseSessionId(sessionId)?.tag ?? sessionId;
}

/** An opaque handle naming a session in its user's listing: 16 random bytes (SPEC U4). */
export function generateHandle(): string {
  return randomBytes(16).toString('base64url');
}
