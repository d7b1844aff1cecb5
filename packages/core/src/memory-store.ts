import {
  USER_CHANGE_RETENTION_MS,
  type DataChanges,
  type LoadContext,
  type LoadedSession,
  type ReplacementSession,
  type RevokeSelection,
  type SessionChanges,
  type Store,
  type StoredSession,
  type UserSessionEntry,
} from './store.js';
import { MAX_TIMER_MS, parseDuration, type Duration } from './internal/duration.js';
import { SessionConfigError } from './errors.js';
import { checkOptionNames } from './internal/option-names.js';
import { ByteBudget, bytesAfterUpdate, recordBytes } from './internal/record-bytes.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most sessions kept. When full, creating one evicts the least recently used.
   * @default 100000
   */
  maxSessions?: number;
  /**
   * The most bytes the records may count (SPEC T10): per record, the UTF-8 bytes of its id,
   * data keys and JSON texts, user id and cached attributes, handle and User-Agent, plus 8 per
   * number field. When a create, replace or update would pass it, the least recently used
   * other sessions are evicted first. A single record larger than this is refused with
   * `SessionStoreError` and nothing changes: keep it well above the engine's `maxSessionBytes`.
   * The default holds a thousand sessions at the default `maxSessionBytes` (64 KiB), or the
   * default `maxSessions` at about 670 bytes each; V8's per-object overhead comes on top.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
  /**
   * How often expired sessions are swept. The timer does not keep the process alive.
   * @default '1m'
   */
  sweepInterval?: Duration;
}

const MEMORY_STORE_OPTION_NAMES = Object.keys({ maxSessions: true, maxBytes: true, sweepInterval: true } satisfies Record<keyof MemoryStoreOptions, true>);

/** A user's index: the change version, the ids of the user's sessions, and how long to keep it without them. */
interface UserIndex {
  version: number;
  sessions: Set<string>;
  retainUntil: number;
}

function copy(session: StoredSession): StoredSession {
  const result: StoredSession = { ...session, data: { ...session.data } };
  if (session.user !== undefined) result.user = { ...session.user };
  return result;
}

function isExpired(session: StoredSession, now: number): boolean {
  return now >= session.expiresAt || now >= session.absoluteExpiresAt;
}

/**
 * The embedded store: one process, no dependencies, the same semantics as the Redis store
 * (TTL, create-if-absent, per-key merge, atomic replace, per-user index and change version).
 * Sessions do not survive a restart and are not shared between processes: use
 * `@sessionware/redis` in production.
 */
export class MemoryStore implements Store {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #users = new Map<string, UserIndex>();
  readonly #maxSessions: number;
  readonly #budget: ByteBudget;
  readonly #timer: NodeJS.Timeout;
  #lastFullSweep = 0;

  constructor(options: MemoryStoreOptions = {}) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new SessionConfigError('options are invalid: expected an object');
    }
    checkOptionNames(options, MEMORY_STORE_OPTION_NAMES);
    const max = options.maxSessions ?? 100_000;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new SessionConfigError('option maxSessions is invalid: expected a positive integer');
    }
    this.#maxSessions = max;
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
      throw new SessionConfigError('option maxBytes is invalid: expected a positive integer');
    }
    this.#budget = new ByteBudget(maxBytes);
    const interval = parseDuration('sweepInterval', options.sweepInterval ?? '1m', MAX_TIMER_MS);
    this.#timer = setInterval(() => this.sweep(), interval);
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
    this.#lastFullSweep = Date.now();
    for (const [id, session] of this.#sessions) {
      if (isExpired(session, now)) this.#remove(id);
    }
    for (const [userId, index] of this.#users) {
      if (index.sessions.size === 0 && now >= index.retainUntil) this.#users.delete(userId);
    }
  }

  /** Stops the sweep timer. */
  close(): void {
    clearInterval(this.#timer);
  }

  #remove(id: string): void {
    const session = this.#sessions.get(id);
    if (session === undefined) return;
    this.#sessions.delete(id);
    this.#budget.delete(id);
    const userId = session.user?.id;
    const index = userId === undefined ? undefined : this.#users.get(userId);
    if (userId === undefined || index === undefined) return;
    index.sessions.delete(id);
    if (index.sessions.size === 0 && Date.now() >= index.retainUntil) this.#users.delete(userId);
  }

  #live(id: string, now: number): StoredSession | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (isExpired(session, now)) {
      this.#remove(id);
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
    if (Date.now() - this.#lastFullSweep >= 1_000) this.sweep(now);
    for (const id of this.#sessions.keys()) {
      if (!full()) return;
      if (id !== keep) this.#remove(id);
    }
  }

  /** What `session` counts as record `id`; throws, changing nothing, when it could not be kept even alone. */
  #admit(operation: string, id: string, session: StoredSession): number {
    const bytes = recordBytes(id, session);
    this.#budget.admit(operation, bytes);
    return bytes;
  }

  /** Stores a new record of `bytes` (from `#admit`), making room for it. */
  #insert(id: string, session: StoredSession, bytes: number): void {
    this.#makeRoom(bytes, true, Date.now());
    this.#sessions.set(id, copy(session));
    this.#budget.set(id, bytes);
    const userId = session.user?.id;
    if (userId === undefined) return;
    const index = this.#users.get(userId) ?? { version: 0, sessions: new Set<string>(), retainUntil: 0 };
    index.sessions.add(id);
    this.#users.set(userId, index);
  }

  async load(id: string, { now, idleTimeoutMs }: LoadContext): Promise<LoadedSession | null> {
    const session = this.#live(id, now);
    if (session === undefined) return null;
    session.lastSeenAt = now;
    session.expiresAt = Math.min(now + idleTimeoutMs, session.absoluteExpiresAt);
    // Re-insert to keep the map in least-recently-used order for eviction.
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    const loaded: LoadedSession = copy(session);
    if (session.user !== undefined) loaded.userVersion = this.#users.get(session.user.id)?.version ?? 0;
    return loaded;
  }

  async create(id: string, session: StoredSession): Promise<'created' | 'exists'> {
    if (this.#live(id, Date.now()) !== undefined) return 'exists';
    this.#insert(id, session, this.#admit('create', id, session));
    return 'created';
  }

  async update(id: string, changes: SessionChanges): Promise<'updated' | 'missing'> {
    const now = Date.now();
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
    return 'updated';
  }

  async replace(oldId: string, newId: string, session: ReplacementSession, changes: DataChanges): Promise<'created' | 'exists' | 'missing'> {
    const now = Date.now();
    const old = this.#live(oldId, now);
    if (old === undefined) return 'missing';
    if (this.#live(newId, now) !== undefined) return 'exists';
    // The old data as stored now, so writes made since the login loaded it carry over (SPEC T8).
    const data = { ...old.data };
    for (const key of changes.unset) delete data[key];
    Object.assign(data, changes.set);
    const merged = { ...session, data };
    const bytes = this.#admit('replace', newId, merged);
    this.#remove(oldId);
    this.#insert(newId, merged, bytes);
    return 'created';
  }

  async destroy(id: string): Promise<void> {
    this.#remove(id);
  }

  #index(userId: string): UserIndex | undefined {
    const index = this.#users.get(userId);
    if (index === undefined || index.sessions.size > 0 || Date.now() < index.retainUntil) return index;
    this.#users.delete(userId);
    return undefined;
  }

  async userVersion(userId: string): Promise<number> {
    return this.#index(userId)?.version ?? 0;
  }

  async markUserChanged(userId: string): Promise<void> {
    const index = this.#index(userId) ?? { version: 0, sessions: new Set<string>(), retainUntil: 0 };
    index.version += 1;
    index.retainUntil = Math.max(index.retainUntil, Date.now() + USER_CHANGE_RETENTION_MS);
    this.#users.set(userId, index);
  }

  async listUserSessions(userId: string, now: number): Promise<UserSessionEntry[]> {
    const index = this.#users.get(userId);
    if (index === undefined) return [];
    const entries: UserSessionEntry[] = [];
    for (const id of [...index.sessions]) {
      const session = this.#live(id, now);
      if (session === undefined || session.handle === undefined) continue;
      const entry: UserSessionEntry = { handle: session.handle, sessionId: id, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt };
      if (session.userAgent !== undefined) entry.userAgent = session.userAgent;
      entries.push(entry);
    }
    return entries;
  }

  async revokeUserSessions(userId: string, { handles, exceptSessionId }: RevokeSelection): Promise<number> {
    const index = this.#users.get(userId);
    if (index === undefined) return 0;
    const now = Date.now();
    let revoked = 0;
    for (const id of [...index.sessions]) {
      const session = this.#live(id, now);
      if (session === undefined || id === exceptSessionId) continue;
      if (handles !== undefined && (session.handle === undefined || !handles.includes(session.handle))) continue;
      this.#remove(id);
      revoked += 1;
    }
    return revoked;
  }
}
