import { SessionStoreError } from '../errors.js';
import type { SessionChanges, StoredSession, StoredUser } from '../store.js';
import { dataBytes, utf8Bytes } from './session-size.js';

/** The four time fields of a record, and a user's version: counted as 8 bytes each, like the numbers they are. */
const NUMBER_BYTES = 8;
const TIME_FIELDS_BYTES = 4 * NUMBER_BYTES;

function userBytes(user: StoredUser | undefined): number {
  return user === undefined ? 0 : utf8Bytes(user.id) + utf8Bytes(user.attributes) + NUMBER_BYTES;
}

function optionalBytes(text: string | undefined): number {
  return text === undefined ? 0 : utf8Bytes(text);
}

function optionalNumberBytes(value: number | undefined): number {
  return value === undefined ? 0 : NUMBER_BYTES;
}

/**
 * What one record counts against `MemoryStore`'s `maxBytes`: the UTF-8 bytes of its id, of its
 * data (each key and JSON text, as `maxSessionBytes` counts them), of its user's id and cached
 * attributes, handle, User-Agent and cookie expiry mode, plus 8 bytes per number field (the four
 * times, the user's version, `authenticatedAt` and the own idle timeout when present). The
 * payload, not V8's heap use, which adds per-object overhead on top.
 */
export function recordBytes(id: string, session: StoredSession): number {
  return utf8Bytes(id) + TIME_FIELDS_BYTES + dataBytes(session.data) + userBytes(session.user)
    + optionalBytes(session.handle) + optionalBytes(session.userAgent) + optionalBytes(session.cookieExpiry)
    + optionalNumberBytes(session.authenticatedAt) + optionalNumberBytes(session.idleTimeoutMs);
}

/** The size of `session` (now `bytes`) once `changes` are applied as `MemoryStore.update` applies them: counts only what changes. */
export function bytesAfterUpdate(session: StoredSession, bytes: number, changes: SessionChanges): number {
  const data = session.data;
  const current = (key: string): string | undefined => (Object.hasOwn(data, key) ? data[key] : undefined);
  let after = bytes;
  for (const [key, text] of Object.entries(changes.set)) {
    const before = current(key);
    after += utf8Bytes(text) + (before === undefined ? utf8Bytes(key) : -utf8Bytes(before));
  }
  for (const key of changes.unset) {
    // The set is applied first, so a key in both is removed with the value it was just given.
    const before = Object.hasOwn(changes.set, key) ? changes.set[key] : current(key);
    if (before !== undefined) after -= utf8Bytes(key) + utf8Bytes(before);
  }
  if (changes.user !== undefined && session.user !== undefined) {
    after += userBytes({ ...changes.user, id: session.user.id }) - userBytes(session.user);
  }
  if (changes.authenticatedAt !== undefined) after += NUMBER_BYTES - optionalNumberBytes(session.authenticatedAt);
  return after;
}

/** The bytes a store's records count (see {@link recordBytes}), per id and in total, against a bound. */
export class ByteBudget {
  readonly #sizes = new Map<string, number>();
  readonly #max: number;
  #total = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** The bytes counted now. */
  get total(): number {
    return this.#total;
  }

  /** What the record `id` counts now (0 when none is counted). */
  of(id: string): number {
    return this.#sizes.get(id) ?? 0;
  }

  /** Counts the record `id` as `bytes`, instead of what it counted before. */
  set(id: string, bytes: number): void {
    this.#total += bytes - this.of(id);
    this.#sizes.set(id, bytes);
  }

  /** Stops counting the record `id`. */
  delete(id: string): void {
    this.#total -= this.of(id);
    this.#sizes.delete(id);
  }

  /** True while `extra` more bytes would take the total past the bound. */
  over(extra: number): boolean {
    return this.#total + extra > this.#max;
  }

  /**
   * Throws {@link SessionStoreError} when a record of `bytes` could not be kept even alone,
   * before anything is changed or evicted for it.
   */
  admit(operation: string, bytes: number): void {
    if (bytes > this.#max) {
      throw new SessionStoreError(operation, `the record is larger than the store's option maxBytes (${this.#max} bytes)`);
    }
  }
}
