import { SessionConfigError, SessionLimitError } from '../errors.js';
import type { SessionLimit, StoredUser } from '../store.js';

/** What a login beyond `maxSessionsPerUser` does (SPEC P4). */
export type OnLimit = SessionLimit['onLimit'];

const ON_LIMIT: readonly OnLimit[] = ['end-least-recent', 'refuse'];

/** The session limit options, validated and defaulted. */
export interface ResolvedSessionLimit {
  readonly maxSessionsPerUser: number | undefined;
  readonly onLimit: OnLimit;
}

/**
 * `maxSessionsPerUser` (a positive integer, or undefined for no cap) and `onLimit` (default
 * `'end-least-recent'`; only with `maxSessionsPerUser`), validated and defaulted (SPEC P4, O1).
 */
export function resolveSessionLimit(maxSessionsPerUser: unknown, onLimit: unknown): ResolvedSessionLimit {
  if (maxSessionsPerUser !== undefined && (typeof maxSessionsPerUser !== 'number' || !Number.isSafeInteger(maxSessionsPerUser) || maxSessionsPerUser < 1)) {
    throw new SessionConfigError('option maxSessionsPerUser is invalid: expected a positive integer (or undefined for no cap)');
  }
  if (onLimit !== undefined && !(ON_LIMIT as readonly unknown[]).includes(onLimit)) {
    throw new SessionConfigError(`option onLimit is invalid: expected ${ON_LIMIT.map((mode) => `'${mode}'`).join(' or ')}`);
  }
  if (onLimit !== undefined && maxSessionsPerUser === undefined) {
    throw new SessionConfigError('option onLimit is invalid: it needs maxSessionsPerUser, the cap it acts on');
  }
  return { maxSessionsPerUser, onLimit: (onLimit as OnLimit | undefined) ?? 'end-least-recent' };
}

/** The limit a login of `user` is stored under, if the options set one (SPEC P4). */
export function loginLimit(options: ResolvedSessionLimit, user: StoredUser | null | undefined): SessionLimit | undefined {
  const max = options.maxSessionsPerUser;
  return max === undefined || user === undefined || user === null ? undefined : { max, onLimit: options.onLimit };
}

/** The error of a login the store refused under the cap (`onLimit: 'refuse'`); no ids in it (SPEC F5). */
export function limitRefused(max: number | undefined): SessionLimitError {
  return new SessionLimitError(`login refused: the user already has maxSessionsPerUser (${String(max)}) live sessions, and onLimit is 'refuse'`);
}
