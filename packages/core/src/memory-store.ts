import type { DataChanges, LoadContext, LoadedSession, RenewContext, RenewResult, ReplacementSession, RevokeSelection, SessionChanges, SessionDeadlines, SessionLimit, Store, StoredSession, UserSessionEntry } from './store.js';
import { copy, deadlinesOf, listingEntry } from './internal/memory-record.js';
import { MemoryRecords } from './internal/memory-records.js';
import { resolveMemoryStoreOptions, type MemoryStoreOptions } from './internal/memory-store-options.js';
import { MemoryRenewals } from './internal/memory-renewals.js';
import { MemoryUserIndex } from './internal/memory-user-index.js';
import { bytesAfterUpdate } from './internal/record-bytes.js';
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
  readonly #users = new MemoryUserIndex();
  readonly #records: MemoryRecords;
  readonly #renewals = new MemoryRenewals();
  readonly #timer: NodeJS.Timeout;

  constructor(options: MemoryStoreOptions = {}) {
    const resolved = resolveMemoryStoreOptions(options);
    this.#records = new MemoryRecords(this.#users, resolved.maxSessions, resolved.maxBytes, (now) => this.sweep(now));
    this.#timer = setInterval(() => this.sweep(), resolved.sweepIntervalMs);
    this.#timer.unref();
  }

  /** How many records are held, expired ones not yet swept included. */
  get size(): number {
    return this.#records.size;
  }

  /** How many bytes the records held count against `maxBytes`. */
  get bytes(): number {
    return this.#records.bytes;
  }

  /** Removes every expired record now. Runs on a timer; callable by hand. */
  sweep(now: number = Date.now()): void {
    this.#records.sweep(now);
    this.#users.sweep(now);
    this.#renewals.sweep(now);
  }

  /** Stops the sweep timer. */
  close(): void {
    clearInterval(this.#timer);
  }

  /** The id a call on `id` acts on: `id`, or the id it was renewed to while its pointer lasts (SPEC P2). */
  #current(id: string, now: number): string {
    return this.#records.has(id) ? id : (this.#renewals.target(id, now) ?? id);
  }

  /** Whether a new record may not take `id`: a live record or a renewal pointer has it. */
  #taken(id: string, now: number): boolean {
    return this.#records.live(id, now) !== undefined || this.#renewals.target(id, now) !== undefined;
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
      const other = id === oldId ? undefined : this.#records.live(id, now);
      if (other !== undefined) live.push({ id, lastSeenAt: other.lastSeenAt, createdAt: other.createdAt });
    }
    const ending = sessionsToEnd(live, limit);
    for (const id of ending ?? []) this.#records.remove(id, now);
    return ending !== null;
  }

  async load(requested: string, { now, idleTimeoutMs }: LoadContext): Promise<LoadedSession | null> {
    const id = this.#current(requested, now);
    const session = this.#records.live(id, now);
    if (session === undefined) return null;
    session.lastSeenAt = now;
    session.expiresAt = Math.min(now + (session.idleTimeoutMs ?? idleTimeoutMs), session.absoluteExpiresAt);
    this.#records.touch(id, session);
    const loaded: LoadedSession = copy(session);
    if (session.user !== undefined) loaded.userVersion = this.#users.version(session.user.id, now);
    if (id !== requested) loaded.currentId = id;
    return loaded;
  }

  async peek(id: string, now: number): Promise<SessionDeadlines | null> {
    const session = this.#records.live(this.#current(id, now), now);
    return session === undefined ? null : deadlinesOf(session);
  }

  async create(id: string, session: StoredSession, limit?: SessionLimit): Promise<'created' | 'exists' | 'limited'> {
    const now = Date.now();
    if (this.#taken(id, now)) return 'exists';
    const bytes = this.#records.admit('create', id, session);
    if (!this.#withinLimit(session, limit, now)) return 'limited';
    this.#records.insert(id, session, bytes, now);
    return 'created';
  }

  async update(requested: string, changes: SessionChanges): Promise<'updated' | 'missing'> {
    const now = Date.now();
    const id = this.#current(requested, now);
    const session = this.#records.live(id, now);
    if (session === undefined) return 'missing';
    // Swept at the same `now` it was found live at, so the record itself is never removed here.
    this.#records.resize(id, bytesAfterUpdate(session, this.#records.bytesOf(id), changes), now);
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
    const old = this.#records.live(oldId, now);
    if (old === undefined) return 'missing';
    if (this.#taken(newId, now)) return 'exists';
    // The old data as stored now, so writes made since the login loaded it carry over (SPEC T8).
    const data = { ...old.data };
    for (const key of changes.unset) delete data[key];
    Object.assign(data, changes.set);
    const merged = { ...session, data };
    const bytes = this.#records.admit('replace', newId, merged);
    if (!this.#withinLimit(session, limit, now, oldId)) return 'limited';
    this.#records.remove(oldId, now);
    this.#renewals.delete(requested);
    this.#records.insert(newId, merged, bytes, now);
    return 'created';
  }

  async destroy(id: string): Promise<void> {
    const now = Date.now();
    this.#records.remove(this.#current(id, now), now);
    this.#renewals.delete(id);
  }

  async renew(oldId: string, newId: string, { now, graceMs }: RenewContext): Promise<RenewResult> {
    const session = this.#records.live(oldId, now);
    if (session === undefined) {
      const renewedTo = this.#renewals.target(oldId, now);
      return renewedTo !== undefined && this.#records.live(renewedTo, now) !== undefined ? { renewedTo } : 'missing';
    }
    if (this.#taken(newId, now)) return 'exists';
    this.#records.move(oldId, newId, { ...session, renewedAt: now }, now);
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
      const session = this.#records.live(id, now);
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
      const session = this.#records.live(id, now);
      if (session === undefined || id === keep) continue;
      if (handles !== undefined && (session.handle === undefined || !handles.includes(session.handle))) continue;
      this.#records.remove(id, now);
      revoked += 1;
    }
    return revoked;
  }
}
