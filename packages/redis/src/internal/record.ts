import type { StoredSession } from '@sessionware/core';
import { ABSOLUTE_EXPIRES_AT, CREATED_AT, DATA_FIELD_PREFIX, dataField, EXPIRES_AT, LAST_SEEN_AT } from './layout.js';

/**
 * A record as script arguments: the key's expiry time (the earlier deadline, whole
 * milliseconds), then the hash's field, value pairs: the four metadata fields and one
 * `d:` field per data key. Times are written as the decimal text of the numbers given.
 */
export function encodeRecord(session: StoredSession): string[] {
  const expireAt = Math.ceil(Math.min(session.expiresAt, session.absoluteExpiresAt));
  const args = [
    String(expireAt),
    CREATED_AT, String(session.createdAt),
    LAST_SEEN_AT, String(session.lastSeenAt),
    EXPIRES_AT, String(session.expiresAt),
    ABSOLUTE_EXPIRES_AT, String(session.absoluteExpiresAt),
  ];
  for (const [key, value] of Object.entries(session.data)) args.push(dataField(key), value);
  return args;
}

/** Changes as update-script arguments: the count of set arguments, the field, value pairs, the fields to delete. */
export function encodeChanges(set: Readonly<Record<string, string>>, unset: readonly string[]): string[] {
  const pairs = Object.entries(set).flatMap(([key, value]) => [dataField(key), value]);
  return [String(pairs.length), ...pairs, ...unset.map(dataField)];
}

function readTime(fields: Map<string, string>, field: string): number {
  const value = Number(fields.get(field));
  if (!Number.isFinite(value)) throw new Error(`malformed session record: field ${field} is not a time`);
  return value;
}

/** A hash as the load script answers it (field, value, …) back into a record. Unknown fields are ignored. */
export function decodeRecord(reply: unknown): StoredSession {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) throw new Error('malformed reply of the load script');
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
  return {
    data,
    createdAt: readTime(metadata, CREATED_AT),
    lastSeenAt: readTime(metadata, LAST_SEEN_AT),
    expiresAt: readTime(metadata, EXPIRES_AT),
    absoluteExpiresAt: readTime(metadata, ABSOLUTE_EXPIRES_AT),
  };
}
