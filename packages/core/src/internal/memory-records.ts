import type { StoredSession } from '../stored-session.js';
import { copy, isExpired } from './memory-record.js';
import type { MemoryUserIndex } from './memory-user-index.js';
import { ByteBudget, recordBytes } from './record-bytes.js';

/**
 * `MemoryStore`'s records: session id → `StoredSession` in least-recently-used order (the
 * `Map`'s insertion order: `insert` and `touch` put a record at the recent end), each counted
 * in a byte budget (SPEC T10) and listed in its user's index, bounded by `maxSessions` and
 * `maxBytes` through eviction of the least recently used.
 */
export class MemoryRecords {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #users: MemoryUserIndex;
  readonly #maxSessions: number;
  readonly #budget: ByteBudget;
  /** The store's full sweep (records, user indexes, renewal pointers), run by `makeRoom` at most once a second. */
  readonly #sweepAll: (now: number) => void;
  #lastFullSweep = 0;

  constructor(users: MemoryUserIndex, maxSessions: number, maxBytes: number, sweepAll: (now: number) => void) {
    this.#users = users;
    this.#maxSessions = maxSessions;
    this.#budget = new ByteBudget(maxBytes);
    this.#sweepAll = sweepAll;
  }

  /** How many records are held, expired ones not yet swept included. */
  get size(): number {
    return this.#sessions.size;
  }

  /** How many bytes the records count against `maxBytes`. */
  get bytes(): number {
    return this.#budget.total;
  }

  /** Whether a record (live or not yet swept) has this id. */
  has(id: string): boolean {
    return this.#sessions.has(id);
  }

  /** The record `id` when live at `now`; an expired one is removed on the way. */
  live(id: string, now: number): StoredSession | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (isExpired(session, now)) {
      this.remove(id, now);
      return undefined;
    }
    return session;
  }

  /** Removes the record and its index entry. */
  remove(id: string, now: number): void {
    const session = this.#sessions.get(id);
    if (session === undefined) return;
    this.#sessions.delete(id);
    this.#budget.delete(id);
    if (session.user !== undefined) this.#users.remove(session.user.id, id, now);
  }

  /** Removes every record expired at `now` (the records' part of the store's sweep). */
  sweep(now: number): void {
    this.#lastFullSweep = now;
    for (const [id, session] of this.#sessions) {
      if (isExpired(session, now)) this.remove(id, now);
    }
  }

  /** The record was used: it moves to the recent end of the eviction order. */
  touch(id: string, session: StoredSession): void {
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
  }

  /** What `session` counts as record `id`; throws, changing nothing, when it could not be kept even alone. */
  admit(operation: string, id: string, session: StoredSession): number {
    const bytes = recordBytes(id, session);
    this.#budget.admit(operation, bytes);
    return bytes;
  }

  /** Stores a copy of a new record of `bytes` (from `admit`), making room for it, and indexes it. */
  insert(id: string, session: StoredSession, bytes: number, now: number): void {
    this.makeRoom(bytes, true, now);
    this.#sessions.set(id, copy(session));
    this.#budget.set(id, bytes);
    if (session.user !== undefined) this.#users.add(session.user.id, id);
  }

  /**
   * Counts the live record `id` as `bytes` from now (an update), making room first, `id` itself
   * kept; throws, changing nothing, when it could not be kept even alone.
   */
  resize(id: string, bytes: number, now: number): void {
    this.#budget.admit('update', bytes);
    this.makeRoom(bytes - this.#budget.of(id), false, now, id);
    this.#budget.set(id, bytes);
  }

  /** What record `id` counts now. */
  bytesOf(id: string): number {
    return this.#budget.of(id);
  }

  /** Moves the record `session` from `oldId` to `newId` as it is (a renewal, SPEC P2), its user's index kept. */
  move(oldId: string, newId: string, session: StoredSession, now: number): void {
    this.#sessions.delete(oldId);
    this.#budget.delete(oldId);
    this.#sessions.set(newId, session);
    this.#budget.set(newId, recordBytes(newId, session));
    if (session.user !== undefined) {
      // Added before the old id goes, so the user's index (and its change version) is kept.
      this.#users.add(session.user.id, newId);
      this.#users.remove(session.user.id, oldId, now);
    }
  }

  /**
   * Frees room for `extra` more bytes, and with `adding` for one more record: sweeps (at most
   * once a second), then evicts the least recently used, never `keep`.
   */
  makeRoom(extra: number, adding: boolean, now: number, keep?: string): void {
    const full = (): boolean => (adding && this.#sessions.size >= this.#maxSessions) || this.#budget.over(extra);
    if (!full()) return;
    if (now - this.#lastFullSweep >= 1_000) this.#sweepAll(now);
    for (const id of this.#sessions.keys()) {
      if (!full()) return;
      if (id !== keep) this.remove(id, now);
    }
  }
}
