/**
 * The Redis key layout. All keys of one user share one Cluster hash tag, the user's tag, so
 * every script that touches a user's sessions and index stays in one slot (SPEC S1):
 *
 * - an anonymous session (an id without a user tag): a HASH at `${prefix}s:{${id}}`;
 * - a user's session (id `<user tag>.<random>`): a HASH at `${prefix}s:{${tag}}${random}`
 *   (`sessionKeys()`);
 * - a user's index: a HASH at `${prefix}u:{${tag}}` (`userIndexKey()`), field `v` the user's change version,
 *   one field `h:<handle>` per session, whose value is the session id, and while a pass of
 *   login-time pruning is under way, field `c` its HSCAN cursor.
 *
 * Inside a session hash, metadata fields start with `m:` and data fields with `d:`, so a data
 * key can never collide with a metadata field.
 */
import { parseSessionId } from '@sessionware/core';

/** Hash field of `StoredSession.createdAt`. */
export const CREATED_AT = 'm:createdAt';
/** Hash field of `StoredSession.lastSeenAt`. */
export const LAST_SEEN_AT = 'm:lastSeenAt';
/** Hash field of `StoredSession.expiresAt` (the idle deadline). */
export const EXPIRES_AT = 'm:expiresAt';
/** Hash field of `StoredSession.absoluteExpiresAt`. */
export const ABSOLUTE_EXPIRES_AT = 'm:absoluteExpiresAt';
/** Hash field of `StoredSession.user.id`. */
export const USER_ID = 'm:userId';
/** Hash field of `StoredSession.user.version`. */
export const USER_VERSION = 'm:userVersion';
/** Hash field of `StoredSession.user.attributes` (JSON text, verbatim). */
export const USER_ATTRIBUTES = 'm:userAttributes';
/** Hash field of `StoredSession.handle`. */
export const HANDLE = 'm:handle';
/** Hash field of `StoredSession.userAgent`. */
export const USER_AGENT = 'm:userAgent';
/** Hash field of `StoredSession.authenticatedAt` (SPEC P3). */
export const AUTHENTICATED_AT = 'm:authenticatedAt';
/** Hash field of `StoredSession.cookieExpiry` (SPEC P1). */
export const COOKIE_EXPIRY = 'm:cookieExpiry';
/** Hash field of `StoredSession.idleTimeoutMs`: the load script slides by it when present (SPEC P1). */
export const IDLE_TIMEOUT = 'm:idleTimeout';
/**
 * Hash field of a reservation: a login across Cluster slots holds its new id with a hash of
 * only these two fields (who reserved it, until when) while it takes the old session. A
 * reservation is no session: `load` and `update` see nothing, `create` and `replace` see the
 * id taken.
 */
export const RESERVED_FOR = 'm:reservedFor';
/** Hash field of a reservation's deadline (see {@link RESERVED_FOR}). */
export const RESERVED_UNTIL = 'm:reservedUntil';
/** What every data field starts with: data key `cart` is field `d:cart`. */
export const DATA_FIELD_PREFIX = 'd:';
/** User-index field of the user's change version. */
export const INDEX_VERSION = 'v';
/**
 * User-index field of the HSCAN cursor of login-time pruning: each create or login into the
 * index checks the next few entries from there (see `INDEX` in `scripts/lua-helpers.ts`). Absent
 * between passes.
 */
export const INDEX_SCAN_CURSOR = 'c';
/** What every session entry of a user index starts with: handle `x` is field `h:x`. */
export const INDEX_HANDLE_PREFIX = 'h:';

/** The keys of one session id: its hash, and its user's index when the id carries a user tag. */
export interface SessionKeys {
  readonly sessionKey: string;
  readonly indexKey: string | undefined;
}

/**
 * The keys of a session id, its tag as the hash tag (`parseSessionId()` of the core reads the
 * id). A string that is no session id is keyed as an anonymous one, as itself.
 */
export function sessionKeys(prefix: string, id: string): SessionKeys {
  const parts = parseSessionId(id);
  if (parts?.tag === undefined) return { sessionKey: `${prefix}s:{${id}}`, indexKey: undefined };
  return { sessionKey: `${prefix}s:{${parts.tag}}${parts.random}`, indexKey: userIndexKey(prefix, parts.tag) };
}

/** The key of a user's index, by the user's tag (`userTag(userId)`, the tag of each of the user's session ids). */
export function userIndexKey(prefix: string, tag: string): string {
  return `${prefix}u:{${tag}}`;
}

/** The key list of a script on one session: the session, then its user's index when it has one. */
export function keyList({ sessionKey, indexKey }: SessionKeys): string[] {
  return indexKey === undefined ? [sessionKey] : [sessionKey, indexKey];
}

/** The hash field of one data key. */
export function dataField(key: string): string {
  return DATA_FIELD_PREFIX + key;
}
