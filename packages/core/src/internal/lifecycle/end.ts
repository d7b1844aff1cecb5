import type { SessionError } from '../../errors.js';
import type { LogoutOptions } from '../../logout.js';
import type { Session } from '../../session.js';
import { boundedHookCall, boundedStoreCall } from '../timeout.js';
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

/**
 * Logs out (SPEC L1, L2, L4): the hook and the revocation run side by side under one store
 * bound, so a stalled store costs one bound, never two in a row; then the session is ended and
 * both cookies cleared, whatever failed. Never rejects.
 */
export async function endSession(state: RequestState, session: Session, beforeLogout: LogoutOptions['beforeLogout'], scope: LogoutScope): Promise<LogoutOutcome> {
  const { storeTimeoutMs } = state.options;
  const failure = state.failure;
  const live = state.id !== null && failure === null;
  state.phase = 'ended';
  const errors: string[] = [];
  let revoked = true;
  const fail = (error: unknown, operation: string): void => {
    errors.push((error as SessionError).code);
    report(state, error as SessionError, operation);
  };
  if (scope === 'user' && state.user === null && failure !== null) {
    // The session could not be read, so its user's other sessions are unknown: say so (SPEC L2, L4).
    revoked = false;
    fail(failure, 'logout');
  }
  const hook = beforeLogout !== undefined && live
    ? boundedHookCall('beforeLogout', storeTimeoutMs, () => beforeLogout({ session })).catch((error: unknown) => fail(error, 'beforeLogout'))
    : undefined;
  const revocation = boundedStoreCall('logout', storeTimeoutMs, () => revoke(state, scope)).catch((error: unknown) => {
    revoked = false;
    fail(error, 'logout');
  });
  await Promise.all([hook, revocation]);
  state.becomeAnonymous('none');
  writeCookies(state, 'clear');
  return { revoked, errors };
}
