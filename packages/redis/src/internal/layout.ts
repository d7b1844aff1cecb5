/**
 * The Redis key layout: one HASH per session, at `${prefix}s:{${id}}`. The braces make the
 * session id the key's Cluster hash tag. Inside the hash, metadata fields start with `m:` and
 * data fields with `d:`, so a data key can never collide with a metadata field.
 */

/** Hash field of `StoredSession.createdAt`. */
export const CREATED_AT = 'm:createdAt';
/** Hash field of `StoredSession.lastSeenAt`. */
export const LAST_SEEN_AT = 'm:lastSeenAt';
/** Hash field of `StoredSession.expiresAt` (the idle deadline). */
export const EXPIRES_AT = 'm:expiresAt';
/** Hash field of `StoredSession.absoluteExpiresAt`. */
export const ABSOLUTE_EXPIRES_AT = 'm:absoluteExpiresAt';
/** What every data field starts with: data key `cart` is field `d:cart`. */
export const DATA_FIELD_PREFIX = 'd:';

/** The key of one session's hash. */
export function sessionKey(prefix: string, id: string): string {
  return `${prefix}s:{${id}}`;
}

/** The hash field of one data key. */
export function dataField(key: string): string {
  return DATA_FIELD_PREFIX + key;
}
