/**
 * The Store interface: the one seam between the session engine and where sessions live.
 * Every method is one atomic step; the engine never reads-then-writes across two calls.
 * Session data travels as one JSON text per key, so a store can merge per key (SPEC T4, T8)
 * without parsing values. Times are milliseconds since the epoch, from the app's clock.
 */

/** One session record as a store keeps it. */
export interface StoredSession {
  /** Session data: one JSON text per top-level key. */
  data: Record<string, string>;
  /** When the session was created (login starts a new one). */
  createdAt: number;
  /** When a request last loaded the session. */
  lastSeenAt: number;
  /** The idle deadline: `lastSeenAt + idleTimeout`, never past `absoluteExpiresAt`. */
  expiresAt: number;
  /** The absolute deadline: `createdAt + absoluteTimeout`. It never moves. */
  absoluteExpiresAt: number;
}

/** The per-key changes one request made: keys to set (JSON text) and keys to remove. */
export interface SessionChanges {
  set: Record<string, string>;
  unset: string[];
}

/** What `load` is told, so the idle deadline slides in the same call (SPEC T2). */
export interface LoadContext {
  /** The current time. */
  now: number;
  /** The idle timeout in milliseconds. */
  idleTimeoutMs: number;
}

/**
 * Where sessions live. Implementations: `MemoryStore` (embedded) and `@sessionware/redis`.
 * A third-party store proves itself with the shared store conformance suite (SPEC T9).
 */
export interface Store {
  /**
   * Loads a live session and slides its idle deadline to
   * `min(now + idleTimeoutMs, absoluteExpiresAt)` in the same atomic step, setting
   * `lastSeenAt = now`. Returns `null` when the session is missing or past either deadline
   * (an expired record is removed).
   */
  load(id: string, context: LoadContext): Promise<StoredSession | null>;
  /**
   * Creates the session only if no record has this id. Never overwrites (SPEC T5):
   * answers `'exists'` and changes nothing on a collision.
   */
  create(id: string, session: StoredSession): Promise<'created' | 'exists'>;
  /**
   * Applies per-key changes to an existing live session. Answers `'missing'` and writes
   * nothing when the session is gone, so a destroyed session is never resurrected (SPEC T8).
   */
  update(id: string, changes: SessionChanges): Promise<'updated' | 'missing'>;
  /**
   * Login (SPEC T6): creates `newId` and removes `oldId`, as one atomic step. Answers
   * `'missing'` when `oldId` is no longer live (destroyed meanwhile: its data must not live on
   * under a new id, SPEC T8) and `'exists'` when `newId` is taken; both change nothing.
   */
  replace(oldId: string, newId: string, session: StoredSession): Promise<'created' | 'exists' | 'missing'>;
  /** Removes the session. Removing a missing session is not an error. */
  destroy(id: string): Promise<void>;
}
