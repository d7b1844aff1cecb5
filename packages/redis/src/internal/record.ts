import {
  parseSessionId,
  userTag,
  type LoadedSession,
  type ReplacementSession,
  type SessionDeadlines,
  type StoredSession,
  type UserSessionEntry,
} from '@sessionware/core';
import {
  ABSOLUTE_EXPIRES_AT,
  AUTHENTICATED_AT,
  COOKIE_EXPIRY,
  CREATED_AT,
  DATA_FIELD_PREFIX,
  dataField,
  EXPIRES_AT,
  HANDLE,
  IDLE_TIMEOUT,
  LAST_SEEN_AT,
  USER_AGENT,
  USER_ATTRIBUTES,
  USER_ID,
  USER_VERSION,
  userIndexKey,
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
  const encoded = encodeMetadata(session);
  for (const [key, value] of Object.entries(session.data)) encoded.fields.push(dataField(key), value);
  return encoded;
}

/** A record without its data (a login's, whose data the replace script carries over): its expiry and metadata fields. */
export function encodeMetadata(session: ReplacementSession): EncodedRecord {
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
  if (session.authenticatedAt !== undefined) fields.push(AUTHENTICATED_AT, String(session.authenticatedAt));
  if (session.cookieExpiry !== undefined) fields.push(COOKIE_EXPIRY, session.cookieExpiry);
  if (session.idleTimeoutMs !== undefined) fields.push(IDLE_TIMEOUT, String(session.idleTimeoutMs));
  return { expireAt: String(Math.ceil(Math.min(session.expiresAt, session.absoluteExpiresAt))), fields };
}

/** Where a session goes in its user's index: the index key and the session's handle there. */
export interface IndexEntry {
  readonly indexKey: string;
  readonly handle: string;
}

/**
 * The entry of a session in its user's index, or `undefined` for a session without a user.
 * Throws when the record cannot be indexed: a user's session needs a handle, and its id must
 * carry the user's tag (`<userTag(user.id)>.<random>`, as the engine makes it), which is what
 * keeps the session and the index in one Cluster slot.
 */
export function indexEntry(prefix: string, id: string, session: ReplacementSession): IndexEntry | undefined {
  if (session.user === undefined) return undefined;
  if (session.handle === undefined || session.handle === '') {
    throw new TypeError('a session with a user needs a handle (StoredSession.handle)');
  }
  const tag = userTag(session.user.id);
  if (parseSessionId(id)?.tag !== tag) {
    throw new TypeError("a session with a user needs an id that starts with the user's tag (userTag(user.id) + '.')");
  }
  return { indexKey: userIndexKey(prefix, tag), handle: session.handle };
}

function readTime(value: string | undefined, field: string): number {
  const time = Number(value);
  if (value === undefined || !Number.isFinite(time)) throw new Error(`malformed session record: field ${field} is not a time`);
  return time;
}

function malformedLoad(detail: string): Error {
  return new Error(`malformed reply of the load script: ${detail}`);
}

/**
 * The session hash in `list[0..end)` (field, value, …) back into a record. Unknown fields
 * (a reservation's, say) are ignored. One pass, no intermediate map: this runs on every
 * request that carries a session.
 */
export function decodeRecord(list: readonly unknown[], end = list.length): StoredSession {
  if (end % 2 !== 0) throw malformedLoad('an odd number of hash fields');
  const data: Record<string, string> = {};
  let createdAt: string | undefined, lastSeenAt: string | undefined, expiresAt: string | undefined, absoluteExpiresAt: string | undefined;
  let userId: string | undefined, userVersion: string | undefined, userAttributes: string | undefined;
  let handle: string | undefined, userAgent: string | undefined;
  let authenticatedAt: string | undefined, cookieExpiry: string | undefined, idleTimeout: string | undefined;
  for (let i = 0; i < end; i += 2) {
    const field = list[i];
    const value = list[i + 1];
    if (typeof field !== 'string' || typeof value !== 'string') throw malformedLoad('a field or value that is not a string');
    if (field.startsWith(DATA_FIELD_PREFIX)) {
      const key = field.slice(DATA_FIELD_PREFIX.length);
      // `__proto__` must stay a plain data key: an assignment would set the prototype instead.
      if (key === '__proto__') Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
      else data[key] = value;
      continue;
    }
    switch (field) {
      case CREATED_AT: createdAt = value; break;
      case LAST_SEEN_AT: lastSeenAt = value; break;
      case EXPIRES_AT: expiresAt = value; break;
      case ABSOLUTE_EXPIRES_AT: absoluteExpiresAt = value; break;
      case USER_ID: userId = value; break;
      case USER_VERSION: userVersion = value; break;
      case USER_ATTRIBUTES: userAttributes = value; break;
      case HANDLE: handle = value; break;
      case USER_AGENT: userAgent = value; break;
      case AUTHENTICATED_AT: authenticatedAt = value; break;
      case COOKIE_EXPIRY: cookieExpiry = value; break;
      case IDLE_TIMEOUT: idleTimeout = value; break;
    }
  }
  const session: StoredSession = {
    data,
    createdAt: readTime(createdAt, CREATED_AT),
    lastSeenAt: readTime(lastSeenAt, LAST_SEEN_AT),
    expiresAt: readTime(expiresAt, EXPIRES_AT),
    absoluteExpiresAt: readTime(absoluteExpiresAt, ABSOLUTE_EXPIRES_AT),
  };
  if (userId !== undefined) session.user = { id: userId, version: readTime(userVersion, USER_VERSION), attributes: userAttributes ?? '' };
  if (handle !== undefined) session.handle = handle;
  if (userAgent !== undefined) session.userAgent = userAgent;
  if (authenticatedAt !== undefined) session.authenticatedAt = readTime(authenticatedAt, AUTHENTICATED_AT);
  if (cookieExpiry === 'persistent' || cookieExpiry === 'browser-session') session.cookieExpiry = cookieExpiry;
  if (idleTimeout !== undefined) session.idleTimeoutMs = readTime(idleTimeout, IDLE_TIMEOUT);
  return session;
}

/**
 * The load script's answer: nil, or one string, the JSON array of the session hash
 * (field, value, …) followed, for a user's session, by the user's change version.
 */
export function decodeLoaded(reply: unknown): LoadedSession | null {
  if (reply === null) return null;
  if (typeof reply !== 'string') throw malformedLoad('not a string');
  let list: unknown;
  try {
    list = JSON.parse(reply);
  } catch {
    throw malformedLoad('not JSON');
  }
  if (!Array.isArray(list)) throw malformedLoad('not a JSON array');
  const end = list.length - (list.length % 2);
  const session: LoadedSession = decodeRecord(list, end);
  if (session.user !== undefined) {
    const version: unknown = list[end];
    if (end === list.length || typeof version !== 'string' || !Number.isSafeInteger(Number(version))) throw malformedLoad('no user version');
    session.userVersion = Number(version);
  } else if (end !== list.length) {
    throw malformedLoad('a user version for a session without a user');
  }
  return session;
}

/**
 * The take script's answer: `null` when the session was not live, else its data (the `d:`
 * fields, prefix removed), in an object without a prototype, so that any key, `__proto__`
 * included, is a plain data key.
 */
export function decodeTaken(reply: unknown): Record<string, string> | null {
  if (!Array.isArray(reply) || (reply[0] !== 'taken' && reply[0] !== 'missing') || reply.length % 2 !== 1) {
    throw new Error('malformed reply of the take script');
  }
  if (reply[0] === 'missing') return null;
  const data = Object.create(null) as Record<string, string>;
  for (let i = 1; i < reply.length; i += 2) {
    const field: unknown = reply[i];
    const value: unknown = reply[i + 1];
    if (typeof field !== 'string' || !field.startsWith(DATA_FIELD_PREFIX) || typeof value !== 'string') {
      throw new Error('malformed reply of the take script');
    }
    data[field.slice(DATA_FIELD_PREFIX.length)] = value;
  }
  return data;
}

/** The list script's answer: one [handle, id, createdAt, lastSeenAt, userAgent or nil, authenticatedAt or nil] per live session. */
export function decodeListing(reply: unknown): UserSessionEntry[] {
  if (!Array.isArray(reply)) throw new Error('malformed reply of the list script');
  return reply.map((row: unknown) => {
    if (!Array.isArray(row) || row.length < 4) throw new Error('malformed reply of the list script');
    const [handle, sessionId, createdAt, lastSeenAt, userAgent, authenticatedAt] = row as unknown[];
    const entry: UserSessionEntry = {
      handle: String(handle),
      sessionId: String(sessionId),
      createdAt: Number(createdAt),
      lastSeenAt: Number(lastSeenAt),
    };
    if (typeof userAgent === 'string') entry.userAgent = userAgent;
    if (typeof authenticatedAt === 'string') entry.authenticatedAt = Number(authenticatedAt);
    return entry;
  });
}

/** The peek script's answer: null, or [expiresAt, absoluteExpiresAt, authenticatedAt or nil]. */
export function decodeDeadlines(reply: unknown): SessionDeadlines | null {
  if (reply === null) return null;
  if (!Array.isArray(reply)) throw new Error('malformed reply of the peek script');
  const [expiresAt, absoluteExpiresAt, authenticatedAt] = reply as unknown[];
  const deadlines: SessionDeadlines = {
    expiresAt: readTime(typeof expiresAt === 'string' ? expiresAt : undefined, EXPIRES_AT),
    absoluteExpiresAt: readTime(typeof absoluteExpiresAt === 'string' ? absoluteExpiresAt : undefined, ABSOLUTE_EXPIRES_AT),
  };
  if (typeof authenticatedAt === 'string') deadlines.authenticatedAt = readTime(authenticatedAt, AUTHENTICATED_AT);
  return deadlines;
}
