import type { DataChanges, LoadContext, LoadedSession, RenewContext, RenewResult, ReplacementSession, RevokeSelection, SessionChanges, SessionDeadlines, SessionLimit, Store, StoredSession, UserSessionEntry } from './store.js';
import { copy, deadlinesOf, isExpired, listingEntry } from './internal/memory-record.js';
import { resolveMemoryStoreOptions, type MemoryStoreOptions } from './internal/memory-store-options.js';
import { MemoryRenewals } from './internal/memory-renewals.js';
import { MemoryUserIndex } from './internal/memory-user-index.js';
import { ByteBudget, bytesAfterUpdate, recordBytes } from './internal/record-bytes.js';
import { sessionsToEnd, type LimitedSession } from './internal/session-limit.js';

export type { MemoryStoreOptions } from './internal/memory-store-options.js';

/**
 * The embedded store: one process, no dependencies, the same semantics as the Redis store
 * (TTL, create-if-absent, per-key merge, atomic replace, per-user index and change version,
 * the session limit of a login).
 * Sessions do not survive a restart and are not shared between processes: use
 * `@sessionware/redis` in production. Each operation reads the clock once (or takes the
 * caller's `now`) and judges everything it does at that time.
 */
export class MemoryStore implements Store {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #users = new MemoryUserIndex();
  readonly #renewals = new MemoryRenewals();
  readonly #maxSessions: number;
  readonly #budget: ByteBudget;
  readonly #timer: NodeJS.Timeout;
  #lastFullSweep = 0;

  constructor(options: MemoryStoreOptions = {}) {
    const resolved = resolveMemoryStoreOptions(options);
    this.#maxSessions = resolved.maxSessions;
    this.#budget = new ByteBudget(resolved.maxBytes);
    this.#timer = setInterval(() => this.sweep(), resolved.sweepIntervalMs);
    this.#timer.unref();
  }

  /** How many records are held, expired ones not yet swept included. */
  get size(): number {
    return this.#sessions.size;
  }

  /** How many bytes the records held count against `maxBytes`. */
  get bytes(): number {
    return this.#budget.total;
  }

  /** Removes every expired record now. Runs on a timer; callable by hand. */
  sweep(now: number = Date.now()): void {
    this.#lastFullSweep = now;
    for (const [id, session] of this.#sessions) {
      if (isExpired(session, now)) this.#remove(id, now);
    }
    this.#users.sweep(now);
    this.#renewals.sweep(now);
  }

  /** Stops the sweep timer. */
  close(): void {
    clearInterval(this.#timer);
  }

  #remove(id: string, now: number): void {
    const session = this.#sessions.get(id);
    if (session === undefined) return;
    this.#sessions.delete(id);
    this.#budget.delete(id);
    if (session.user !== undefined) this.#users.remove(session.user.id, id, now);
  }

  /** The id a call on `id` acts on: `id`, or the id it was renewed to while its pointer lasts (SPEC P2). */
  #current(id: string, now: number): string {
    return this.#sessions.has(id) ? id : (this.#renewals.target(id, now) ?? id);
  }

  /** Whether a new record may not take `id`: a live record or a renewal pointer has it. */
  #taken(id: string, now: number): boolean {
    return this.#live(id, now) !== undefined || this.#renewals.target(id, now) !== undefined;
  }

  #live(id: string, now: number): StoredSession | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (isExpired(session, now)) {
      this.#remove(id, now);
      return undefined;
    }
    return session;
  }

  /**
   * Frees room for `extra` more bytes, and with `adding` for one more record: sweeps expired
   * records (at most once a second), then evicts the least recently used, never `keep`.
   */
  #makeRoom(extra: number, adding: boolean, now: number, keep?: string): void {
    const full = (): boolean => (adding && this.#sessions.size >= this.#maxSessions) || this.#budget.over(extra);
    if (!full()) return;
    if (now - this.#lastFullSweep >= 1_000) this.sweep(now);
    for (const id of this.#sessions.keys()) {
      if (!full()) return;
      if (id !== keep) this.#remove(id, now);
    }
  }

  /** What `session` counts as record `id`; throws, changing nothing, when it could not be kept even alone. */
  #admit(operation: string, id: string, session: StoredSession): number {
    const bytes = recordBytes(id, session);
    this.#budget.admit(operation, bytes);
    return bytes;
  }

  /**
   * Applies `limit` to a login of `session`'s user (SPEC P4), `oldId` not counted: ends the
   * least recently seen of the user's live sessions as it says; false, changing nothing, when
   * it refuses.
   */
  #withinLimit(session: ReplacementSession, limit: SessionLimit | undefined, now: number, oldId?: string): boolean {
    if (limit === undefined || session.user === undefined) return true;
    const live: LimitedSession[] = [];
    for (const id of this.#users.sessionsOf(session.user.id)) {
      const other = id === oldId ? undefined : this.#live(id, now);
      if (other !== undefined) live.push({ id, lastSeenAt: other.lastSeenAt, createdAt: other.createdAt });
    }
    const ending = sessionsToEnd(live, limit);
    for (const id of ending ?? []) this.#remove(id, now);
    return ending !== null;
  }

  /** Stores a new record of `bytes` (from `#admit`), making room for it. */
  #insert(id: string, session: StoredSession, bytes: number, now: number): void {
    this.#makeRoom(bytes, true, now);
    this.#sessions.set(id, copy(session));
    this.#budget.set(id, bytes);
    if (session.user !== undefined) this.#users.add(session.user.id, id);
  }

  async load(requested: string, { now, idleTimeoutMs }: LoadContext): Promise<LoadedSession | null> {
    const id = this.#current(requested, now);
    const session = this.#live(id, now);
    if (session === undefined) return null;
    session.lastSeenAt = now;
    session.expiresAt = Math.min(now + (session.idleTimeoutMs ?? idleTimeoutMs), session.absoluteExpiresAt);
    // Re-insert to keep the map in least-recently-used order for eviction.
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    const loaded: LoadedSession = copy(session);
    if (session.user !== undefined) loaded.userVersion = this.#users.version(session.user.id, now);
    if (id !== requested) loaded.currentId = id;
    return loaded;
  }

  async peek(id: string, now: number): Promise<SessionDeadlines | null> {
    const session = this.#live(this.#current(id, now), now);
    return session === undefined ? null : deadlinesOf(session);
  }

  async create(id: string, session: StoredSession, limit?: SessionLimit): Promise<'created' | 'exists' | 'limited'> {
    const now = Date.now();
    if (this.#taken(id, now)) return 'exists';
    const bytes = this.#admit('create', id, session);
    if (!this.#withinLimit(session, limit, now)) return 'limited';
    this.#insert(id, session, bytes, now);
    return 'created';
  }

  async update(requested: string, changes: SessionChanges): Promise<'updated' | 'missing'> {
    const now = Date.now();
    const id = this.#current(requested, now);
    const session = this.#live(id, now);
    if (session === undefined) return 'missing';
    const before = this.#budget.of(id);
    const after = bytesAfterUpdate(session, before, changes);
    this.#budget.admit('update', after);
    // Swept at the same `now` it was found live at, so the record itself is never removed here.
    this.#makeRoom(after - before, false, now, id);
    this.#budget.set(id, after);
    Object.assign(session.data, changes.set);
    for (const key of changes.unset) delete session.data[key];
    if (changes.user !== undefined && session.user !== undefined) {
      session.user = { ...changes.user, id: session.user.id };
    }
    if (changes.authenticatedAt !== undefined) session.authenticatedAt = changes.authenticatedAt;
    return 'updated';
  }

  async replace(requested: string, newId: string, session: ReplacementSession, changes: DataChanges, limit?: SessionLimit): Promise<'created' | 'exists' | 'missing' | 'limited'> {
    const now = Date.now();
    const oldId = this.#current(requested, now);
    const old = this.#live(oldId, now);
    if (old === undefined) return 'missing';
    if (this.#taken(newId, now)) return 'exists';
    // The old data as stored now, so writes made since the login loaded it carry over (SPEC T8).
    const data = { ...old.data };
    for (const key of changes.unset) delete data[key];
    Object.assign(data, changes.set);
    const merged = { ...session, data };
    const bytes = this.#admit('replace', newId, merged);
    if (!this.#withinLimit(session, limit, now, oldId)) return 'limited';
    this.#remove(oldId, now);
    this.#renewals.delete(requested);
    this.#insert(newId, merged, bytes, now);
    return 'created';
  }

  async destroy(id: string): Promise<void> {
    const now = Date.now();
    this.#remove(this.#current(id, now), now);
    this.#renewals.delete(id);
  }

  async renew(oldId: string, newId: string, { now, graceMs }: RenewContext): Promise<RenewResult> {
    const session = this.#live(oldId, now);
    if (session === undefined) {
      const renewedTo = this.#renewals.target(oldId, now);
      return renewedTo !== undefined && this.#live(renewedTo, now) !== undefined ? { renewedTo } : 'missing';
    }
    if (this.#taken(newId, now)) return 'exists';
    const moved = { ...session, renewedAt: now };
    const bytes = recordBytes(newId, moved);
    this.#sessions.delete(oldId);
    this.#budget.delete(oldId);
    this.#sessions.set(newId, moved);
    this.#budget.set(newId, bytes);
    if (moved.user !== undefined) {
      // Added before the old id goes, so the user's index (and its change version) is kept.
      this.#users.add(moved.user.id, newId);
      this.#users.remove(moved.user.id, oldId, now);
    }
    this.#renewals.add(oldId, newId, now + graceMs);
    return 'renewed';
  }

  async userVersion(userId: string): Promise<number> {
    return this.#users.version(userId, Date.now());
  }

  async markUserChanged(userId: string): Promise<void> {
    this.#users.markChanged(userId, Date.now());
  }

  async listUserSessions(userId: string, now: number): Promise<UserSessionEntry[]> {
    const entries: UserSessionEntry[] = [];
    for (const id of this.#users.sessionsOf(userId)) {
      const session = this.#live(id, now);
      const entry = session === undefined ? undefined : listingEntry(id, session);
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  async revokeUserSessions(userId: string, { handles, exceptSessionId }: RevokeSelection): Promise<number> {
    const now = Date.now();
    // A renewed session's old id, within its grace, keeps the renewed session (SPEC P2).
    const keep = exceptSessionId === undefined ? undefined : this.#current(exceptSessionId, now);
    let revoked = 0;
    for (const id of this.#users.sessionsOf(userId)) {
      const session = this.#live(id, now);
      if (session === undefined || id === keep) continue;
      if (handles !== undefined && (session.handle === undefined || !handles.includes(session.handle))) continue;
      this.#remove(id, now);
      revoked += 1;
    }
    return revoked;
  }
}
