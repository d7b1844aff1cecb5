import type { LoadContext, SessionChanges, Store, StoredSession } from './store.js';
import { MAX_TIMER_MS, parseDuration, type Duration } from './internal/duration.js';
import { SessionConfigError } from './errors.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most sessions kept. When full, creating one evicts the least recently used.
   * @default 100000
   */
  maxSessions?: number;
  /**
   * How often expired sessions are swept. The timer does not keep the process alive.
   * @default '1m'
   */
  sweepInterval?: Duration;
}

function copy(session: StoredSession): StoredSession {
  return { ...session, data: { ...session.data } };
}

function isExpired(session: StoredSession, now: number): boolean {
  return now >= session.expiresAt || now >= session.absoluteExpiresAt;
}

/**
 * The embedded store: one process, no dependencies, the same semantics as the Redis store
 * (TTL, create-if-absent, per-key merge, atomic replace). Sessions do not survive a restart
 * and are not shared between processes: use `@sessionware/redis` in production.
 */
export class MemoryStore implements Store {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #maxSessions: number;
  readonly #timer: NodeJS.Timeout;
  #lastFullSweep = 0;

  constructor(options: MemoryStoreOptions = {}) {
    const max = options.maxSessions ?? 100_000;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new SessionConfigError('option maxSessions is invalid: expected a positive integer');
    }
    this.#maxSessions = max;
    const interval = parseDuration('sweepInterval', options.sweepInterval ?? '1m', MAX_TIMER_MS);
    this.#timer = setInterval(() => this.sweep(), interval);
    this.#timer.unref();
  }

  /** How many records are held, expired ones not yet swept included. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Removes every expired record now. Runs on a timer; callable by hand. */
  sweep(now: number = Date.now()): void {
    this.#lastFullSweep = Date.now();
    for (const [id, session] of this.#sessions) {
      if (isExpired(session, now)) this.#sessions.delete(id);
    }
  }

  /** Stops the sweep timer. */
  close(): void {
    clearInterval(this.#timer);
  }

  #live(id: string, now: number): StoredSession | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (isExpired(session, now)) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  #insert(id: string, session: StoredSession): void {
    if (this.#sessions.size >= this.#maxSessions && Date.now() - this.#lastFullSweep >= 1_000) this.sweep();
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done === true) break;
      this.#sessions.delete(oldest.value);
    }
    this.#sessions.set(id, copy(session));
  }

  async load(id: string, { now, idleTimeoutMs }: LoadContext): Promise<StoredSession | null> {
    const session = this.#live(id, now);
    if (session === undefined) return null;
    session.lastSeenAt = now;
    session.expiresAt = Math.min(now + idleTimeoutMs, session.absoluteExpiresAt);
    // Re-insert to keep the map in least-recently-used order for eviction.
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    return copy(session);
  }

  async create(id: string, session: StoredSession): Promise<'created' | 'exists'> {
    if (this.#live(id, Date.now()) !== undefined) return 'exists';
    this.#insert(id, session);
    return 'created';
  }

  async update(id: string, changes: SessionChanges): Promise<'updated' | 'missing'> {
    const session = this.#live(id, Date.now());
    if (session === undefined) return 'missing';
    Object.assign(session.data, changes.set);
    for (const key of changes.unset) delete session.data[key];
    return 'updated';
  }

  async replace(oldId: string, newId: string, session: StoredSession): Promise<'created' | 'exists' | 'missing'> {
    const now = Date.now();
    if (this.#live(oldId, now) === undefined) return 'missing';
    if (this.#live(newId, now) !== undefined) return 'exists';
    this.#sessions.delete(oldId);
    this.#insert(newId, session);
    return 'created';
  }

  async destroy(id: string): Promise<void> {
    this.#sessions.delete(id);
  }
}
