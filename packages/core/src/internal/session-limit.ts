import type { SessionLimit } from '../store.js';

/** One live session of a user, as a limit judges it. */
export interface LimitedSession {
  readonly id: string;
  readonly lastSeenAt: number;
  readonly createdAt: number;
}

/** Least recently seen first; ties: the oldest first. */
function leastRecentFirst(a: LimitedSession, b: LimitedSession): number {
  return a.lastSeenAt - b.lastSeenAt || a.createdAt - b.createdAt;
}

/**
 * Which of a user's live sessions (the old session of a login not among them) a login ends
 * under `limit` (SPEC P4): none while they are fewer than `max`; else the least recently seen
 * until `max - 1` are left. `null` when `onLimit` is `'refuse'` and the login must not happen.
 */
export function sessionsToEnd(live: readonly LimitedSession[], { max, onLimit }: SessionLimit): string[] | null {
  if (live.length < max) return [];
  if (onLimit === 'refuse') return null;
  return [...live].sort(leastRecentFirst).slice(0, live.length - max + 1).map((session) => session.id);
}
