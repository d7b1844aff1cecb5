import { sessionIdTag, userTag, type LoadedSession, type SessionChanges, type StoredSession, type UserSessionEntry } from '@sessionware/core';
import {
  ABSOLUTE_EXPIRES_AT,
  CREATED_AT,
  DATA_FIELD_PREFIX,
  dataField,
  EXPIRES_AT,
  HANDLE,
  LAST_SEEN_AT,
  USER_AGENT,
  USER_ATTRIBUTES,
  USER_ID,
  USER_VERSION,
} from './layout.js';

/** A record as script arguments: when its key expires, and its hash as field, value pairs. */
export interface EncodedRecord {
  /** The key's expiry time: the earlier deadline, whole milliseconds, decimal. */
  readonly expireAt: string;
  /** The metadata fields, the user fields when it has a user, then one `d:` field per data key. */
  readonly fields: string[];
}

/** A record as the scripts write it. Times are written as the decimal text of the numbers given. */
export function encodeRecord(session: StoredSession): EncodedRecord {
  const fields = [
    CREATED_AT, String(session.createdAt),
    LAST_SEEN_AT, String(session.lastSeenAt),
    EXPIRES_AT, String(session.expiresAt),
    ABSOLUTE_EXPIRES_AT, String(session.absoluteExpiresAt),
  ];
  if (session.user !== undefined) {
    fields.push(USER_ID, session.user.id, USER_VERSION, String(session.user.version), USER_ATTRIBUTES, session.user.attributes);
  }
  if (session.handle !== undefined) fields.push(HANDLE, session.handle);
  if (session.userAgent !== undefined) fields.push(USER_AGENT, session.userAgent);
  for (const [key, value] of Object.entries(session.data)) fields.push(dataField(key), value);
  return { expireAt: String(Math.ceil(Math.min(session.expiresAt, session.absoluteExpiresAt))), fields };
}

/**
 * The handle under which a session joins its user's index, or `undefined` for a session
 * without a user. Throws when the record cannot be indexed: a user's session needs a handle,
 * and its id must carry the user's tag (`<userTag(user.id)>.<random>`, as the engine makes
 * it), which is what keeps the session and the index in one Cluster slot.
 */
export function indexHandle(id: string, session: StoredSession): string | undefined {
  if (session.user === undefined) return undefined;
  if (session.handle === undefined || session.handle === '') {
    throw new TypeError('a session with a user needs a handle (StoredSession.handle)');
  }
  if (sessionIdTag(id) !== userTag(session.user.id)) {
    throw new TypeError("a session with a user needs an id that starts with the user's tag (userTag(user.id) + '.')");
  }
  return session.handle;
}

/**
 * Changes as update-script arguments: the user id the session must have ('' when no refreshed
 * user copy is written), the count of set arguments, the field, value pairs (the refreshed
 * user fields among them), then the fields to delete.
 */
export function encodeChanges({ set, unset, user }: SessionChanges): string[] {
  const pairs = Object.entries(set).flatMap(([key, value]) => [dataField(key), value]);
  if (user !== undefined) pairs.push(USER_VERSION, String(user.version), USER_ATTRIBUTES, user.attributes);
  return [user?.id ?? '', String(pairs.length), ...pairs, ...unset.map(dataField)];
}

function readTime(fields: Map<string, string>, field: string): number {
  const value = Number(fields.get(field));
  if (!Number.isFinite(value)) throw new Error(`malformed session record: field ${field} is not a time`);
  return value;
}

/** A session hash (field, value, …) back into a record. Unknown fields are ignored. */
export function decodeRecord(reply: unknown): StoredSession {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) throw new Error('malformed session record');
  const metadata = new Map<string, string>();
  const data: Record<string, string> = {};
  for (let i = 0; i < reply.length; i += 2) {
    const field = String(reply[i]);
    const value = String(reply[i + 1]);
    if (field.startsWith(DATA_FIELD_PREFIX)) {
      // defineProperty, so that a key such as `__proto__` stays a plain data key.
      Object.defineProperty(data, field.slice(DATA_FIELD_PREFIX.length), { value, enumerable: true, writable: true, configurable: true });
    } else {
      metadata.set(field, value);
    }
  }
  const session: StoredSession = {
    data,
    createdAt: readTime(metadata, CREATED_AT),
    lastSeenAt: readTime(metadata, LAST_SEEN_AT),
    expiresAt: readTime(metadata, EXPIRES_AT),
    absoluteExpiresAt: readTime(metadata, ABSOLUTE_EXPIRES_AT),
  };
  const userId = metadata.get(USER_ID);
  if (userId !== undefined) {
    session.user = { id: userId, version: readTime(metadata, USER_VERSION), attributes: metadata.get(USER_ATTRIBUTES) ?? '' };
  }
  const handle = metadata.get(HANDLE);
  if (handle !== undefined) session.handle = handle;
  const userAgent = metadata.get(USER_AGENT);
  if (userAgent !== undefined) session.userAgent = userAgent;
  return session;
}

/** The load script's answer: nil, `[hash]`, or `[hash, userVersion]` for a user's session. */
export function decodeLoaded(reply: unknown): LoadedSession | null {
  if (reply === null) return null;
  if (!Array.isArray(reply) || reply.length < 1 || reply.length > 2) throw new Error('malformed reply of the load script');
  const session: LoadedSession = decodeRecord(reply[0]);
  if (session.user !== undefined) {
    const version = Number(reply[1]);
    if (reply.length !== 2 || !Number.isSafeInteger(version)) throw new Error('malformed reply of the load script: no user version');
    session.userVersion = version;
  }
  return session;
}

/** The list script's answer: one [handle, id, createdAt, lastSeenAt, userAgent or nil] per live session. */
export function decodeListing(reply: unknown): UserSessionEntry[] {
  if (!Array.isArray(reply)) throw new Error('malformed reply of the list script');
  return reply.map((row: unknown) => {
    if (!Array.isArray(row) || row.length < 4) throw new Error('malformed reply of the list script');
    const [handle, sessionId, createdAt, lastSeenAt, userAgent] = row as unknown[];
    const entry: UserSessionEntry = {
      handle: String(handle),
      sessionId: String(sessionId),
      createdAt: Number(createdAt),
      lastSeenAt: Number(lastSeenAt),
    };
    if (typeof userAgent === 'string') entry.userAgent = userAgent;
    return entry;
  });
}
