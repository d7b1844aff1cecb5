import { USER_CHANGE_RETENTION_MS } from '../store.js';

/** A user's index: the change version, the ids of the user's sessions, and how long to keep it without them. */
interface UserIndex {
  version: number;
  sessions: Set<string>;
  retainUntil: number;
}

function emptyIndex(): UserIndex {
  return { version: 0, sessions: new Set<string>(), retainUntil: 0 };
}

/**
 * `MemoryStore`'s per-user indexes (SPEC U2, U4). An index without sessions is kept until
 * `USER_CHANGE_RETENTION_MS` after the user's last change, then dropped.
 */
export class MemoryUserIndex {
  readonly #users = new Map<string, UserIndex>();

  /** Adds session `id` to its user's index. */
  add(userId: string, id: string): void {
    const index = this.#users.get(userId) ?? emptyIndex();
    index.sessions.add(id);
    this.#users.set(userId, index);
  }

  /** Takes session `id` out of its user's index; an index left empty and past its retention goes. */
  remove(userId: string, id: string, now: number): void {
    const index = this.#users.get(userId);
    if (index === undefined) return;
    index.sessions.delete(id);
    if (index.sessions.size === 0 && now >= index.retainUntil) this.#users.delete(userId);
  }

  /** The ids of the user's sessions, copied so that the caller may remove them as it goes. */
  sessionsOf(userId: string): string[] {
    const index = this.#users.get(userId);
    return index === undefined ? [] : [...index.sessions];
  }

  /** The user's change version: 0 for a user never changed, or whose index is gone. */
  version(userId: string, now: number): number {
    return this.#kept(userId, now)?.version ?? 0;
  }

  /** Bumps the user's change version and keeps it at least the retention time from `now`. */
  markChanged(userId: string, now: number): void {
    const index = this.#kept(userId, now) ?? emptyIndex();
    index.version += 1;
    index.retainUntil = Math.max(index.retainUntil, now + USER_CHANGE_RETENTION_MS);
    this.#users.set(userId, index);
  }

  /** Drops every index without sessions past its retention. */
  sweep(now: number): void {
    for (const [userId, index] of this.#users) {
      if (index.sessions.size === 0 && now >= index.retainUntil) this.#users.delete(userId);
    }
  }

  /** The user's index if it is still kept; one past its retention is dropped on the way. */
  #kept(userId: string, now: number): UserIndex | undefined {
    const index = this.#users.get(userId);
    if (index === undefined || index.sessions.size > 0 || now < index.retainUntil) return index;
    this.#users.delete(userId);
    return undefined;
  }
}
