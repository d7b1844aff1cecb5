import { SessionHookError, SessionStoreError, type SessionError } from '../../errors.js';
import type { LogoutOptions } from '../../logout.js';
import type { Session } from '../../session.js';
import { boundedHookCall } from '../timeout.js';
import { writeCookies } from './cookies.js';
import type { RequestState } from './state.js';

/** Which sessions a logout ends: this one (SPEC L1), or every session of its user (L4). */
export type LogoutScope = 'session' | 'user';

/** What a logout did: whether the server records were revoked, and the codes of what failed (SPEC L2). */
export interface LogoutOutcome {
  revoked: boolean;
  errors: string[];
}

function report(state: RequestState, error: SessionError, operation: string): void {
  try {
    state.options.onError(error, { operation });
  } catch (hookError) {
    state.options.logger.error('sessionware: the onError hook threw', hookError);
  }
}

/** The store side of a logout: every call at once, after the commits in flight (one may be creating the id). */
async function revoke(state: RequestState, scope: LogoutScope): Promise<void> {
  if (state.commits?.busy === true) await state.commits.idle();
  const { store } = state.options;
  const id = state.id;
  const userId = state.user?.id;
  await Promise.all([
    scope === 'user' && userId !== undefined ? store.revokeUserSessions(userId, {}) : undefined,
    id !== null ? store.destroy(id) : undefined,
  ]);
}

/** What is left of the request's one store bound, counted from the open's first store work (SPEC L2). */
function remainingBound(state: RequestState): number {
  const { storeTimeoutMs } = state.options;
  if (state.openedAt === undefined) return storeTimeoutMs;
  return Math.max(0, storeTimeoutMs - (performance.now() - state.openedAt));
}

/** True when `work` (which never rejects) settled within `ms`; false when the time ran out first. */
function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void work.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Logs out (SPEC L1, L2, L4): the hook and the revocation run side by side, and the answer
 * waits for them no longer than what is left of one store bound since the request opened its
 * session, so a stalled store costs one bound, never two in a row. Then the session is ended
 * and both cookies cleared, whatever failed. Never rejects.
 */
export async function endSession(state: RequestState, session: Session, beforeLogout: LogoutOptions['beforeLogout'], scope: LogoutScope): Promise<LogoutOutcome> {
  const { storeTimeoutMs } = state.options;
  const failure = state.failure;
  const live = state.id !== null && failure === null;
  state.phase = 'ended';
  const errors: string[] = [];
  let revoked = true;
  let answered = false;
  const fail = (error: unknown, operation: string): void => {
    if (answered) return;
    errors.push((error as SessionError).code);
    report(state, error as SessionError, operation);
  };
  if (scope === 'user' && state.user === null && failure !== null) {
    // The session could not be read, so its user's other sessions are unknown: say so (SPEC L2, L4).
    revoked = false;
    fail(failure, 'logout');
  }
  let hookSettled = true;
  let hook: Promise<void> | undefined;
  if (beforeLogout !== undefined && live) {
    hookSettled = false;
    hook = boundedHookCall('beforeLogout', storeTimeoutMs, () => beforeLogout({ session })).then(
      () => { hookSettled = true; },
      (error: unknown) => {
        hookSettled = true;
        fail(error, 'beforeLogout');
      },
    );
  }
  let revocationSettled = false;
  const revocation = state.storeCall('logout', () => revoke(state, scope)).then(
    () => { revocationSettled = true; },
    (error: unknown) => {
      revocationSettled = true;
      if (answered) return;
      revoked = false;
      fail(error, 'logout');
    },
  );
  if (!(await settlesWithin(Promise.all([hook, revocation]), remainingBound(state)))) {
    // The open already spent part of the bound (a stalled load): what has not answered by now counts as failed.
    if (!revocationSettled) {
      revoked = false;
      fail(new SessionStoreError('logout', `no answer within the ${storeTimeoutMs} ms store bound`), 'logout');
    }
    if (!hookSettled) fail(new SessionHookError('beforeLogout'), 'beforeLogout');
  }
  answered = true;
  state.becomeAnonymous('none');
  // The old library's cookies go too, also when their migration failed (issue 16).
  if (state.legacyCookies === 'kept') state.legacyCookies = 'clear';
  writeCookies(state, 'clear');
  return { revoked, errors };
}
