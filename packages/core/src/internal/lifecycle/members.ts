import { SessionDataError, SessionFreshnessError } from '../../errors.js';
import type { SessionInfo, SessionMethods, SessionUserAttributes } from '../../session.js';
import { answerInForm, markOrCommit, type SessionCallback } from '../session-methods.js';
import { toSessionListing } from '../session-listing.js';
import { parseDuration, type Duration } from '../duration.js';
import { loginLifetime, type LoginOptions } from '../remember.js';
import { checkHandle } from '../user-input.js';
import { loadLoginUser } from './login-user.js';
import type { RequestState } from './state.js';

/** What the session's methods need of the request's session besides its state. */
export interface MemberControls {
  throwIfSealed(): void;
  mayChange(): boolean;
  markDestroyed(): void;
  enqueueCommit(): Promise<void>;
}

/** A session method's callback threw: the request's error path answers, not an unhandled rejection (SPEC R4, F4). */
function callbackThrew(state: RequestState, error: unknown): void {
  const fail = state.request.fail;
  if (fail !== undefined) fail.call(state.request, error);
  else state.options.logger.error('sessionware: a session method callback threw', error);
}

function requireUser(state: RequestState): { userId: string; id: string } {
  state.throwIfOpenFailed();
  if (state.user === null || state.id === null) throw new SessionDataError('nobody is logged in on this session');
  return { userId: state.user.id, id: state.id };
}

/** Loads the user's attributes now; the new id follows at the commit (SPEC T6, U1). */
async function logIn(state: RequestState, controls: MemberControls, userId: string, options: LoginOptions | undefined): Promise<SessionUserAttributes> {
  state.throwIfOpenFailed();
  controls.throwIfSealed();
  const { idleTimeoutMs, absoluteTimeoutMs, remember } = state.options;
  const lifetime = loginLifetime(options, { idleTimeoutMs, absoluteTimeoutMs }, remember);
  const user = await loadLoginUser(state, userId, 'login', 'for session.login()');
  if (user === null) throw new SessionDataError('loadUser answered null for the user logging in');
  controls.throwIfSealed();
  state.adoptUser(user);
  state.intent = 'login';
  state.loginLifetime = lifetime;
  state.authenticatedAt = Date.now();
  return JSON.parse(user.attributes) as SessionUserAttributes;
}

/** `reauthenticated()`: now is the last authentication, stored at the commit (SPEC P3). */
function reauthenticated(state: RequestState, controls: MemberControls): void {
  state.throwIfOpenFailed();
  controls.throwIfSealed();
  if (state.user === null) throw new SessionDataError('nobody is logged in on this session');
  const now = Date.now();
  state.authenticatedAt = now;
  // A pending login records its own time; otherwise the next commit stores this one.
  if (state.intent !== 'login') state.reauthenticatedAt = now;
  controls.mayChange();
}

/** `requireFresh(maxAge)`: the step-up check, from the request's state alone (SPEC P3). */
function requireFresh(state: RequestState, maxAge: Duration): void {
  const maxAgeMs = parseDuration('maxAge', maxAge);
  state.throwIfOpenFailed();
  if (state.user === null) throw new SessionFreshnessError('authentication required: nobody is logged in on this session');
  const at = state.authenticatedAt;
  if (at === undefined || Date.now() - at > maxAgeMs) {
    throw new SessionFreshnessError(`authentication required: the last one is older than ${maxAgeMs} ms`);
  }
}

/** Reads the record again, dropping unsaved changes (`reload()`). */
async function reload(state: RequestState, controls: MemberControls): Promise<void> {
  state.throwIfOpenFailed();
  controls.throwIfSealed();
  if (state.commits?.busy === true) await state.commits.idle();
  const id = state.id;
  if (id === null) {
    state.data.clear();
    return;
  }
  const context = { now: Date.now(), idleTimeoutMs: state.options.idleTimeoutMs };
  const record = await state.storeCall('load', () => state.options.store.load(id, context));
  state.data.clear();
  state.reauthenticatedAt = undefined;
  if (record === null) {
    state.becomeAnonymous('clear');
    return;
  }
  state.data.load(record.data);
  state.adoptMetadata(record);
  if (record.user !== undefined) state.adoptUser(record.user);
}

async function listSessions(state: RequestState): Promise<SessionInfo[]> {
  const { userId, id } = requireUser(state);
  const entries = await state.storeCall('listSessions', () => state.options.store.listUserSessions(userId, Date.now()));
  return entries.map((entry) => ({ ...toSessionListing(entry), current: entry.sessionId === id }));
}

async function revokeSession(state: RequestState, controls: MemberControls, handle: string): Promise<boolean> {
  const { userId } = requireUser(state);
  checkHandle(handle);
  const revoked = await state.storeCall('revokeSession', () => state.options.store.revokeUserSessions(userId, { handles: [handle] }));
  if (revoked > 0 && handle === state.handle) {
    state.becomeAnonymous('clear');
    controls.mayChange();
  }
  return revoked > 0;
}

/** The session's methods (SPEC R4, U1, U4); built only when a method is first used. */
export function createMembers(state: RequestState, controls: MemberControls): SessionMethods {
  const threw = (error: unknown): void => callbackThrew(state, error);
  const commit = (): Promise<void> => controls.enqueueCommit();
  return {
    regenerate(callback?: SessionCallback) {
      const mark = (): void => {
        state.throwIfOpenFailed();
        controls.throwIfSealed();
        if (state.intent !== 'login') state.intent = 'regenerate';
      };
      return markOrCommit(mark, callback, commit, threw);
    },
    destroy(callback?: SessionCallback) {
      return markOrCommit(() => controls.markDestroyed(), callback, commit, threw);
    },
    save(callback?: SessionCallback) {
      return answerInForm(() => {
        state.throwIfOpenFailed();
        controls.throwIfSealed();
        return commit();
      }, callback, threw);
    },
    reload(callback?: SessionCallback) {
      return answerInForm(() => reload(state, controls), callback, threw);
    },
    touch() {
      state.throwIfOpenFailed();
    },
    login: (userId, options) => logIn(state, controls, userId, options),
    reauthenticated: () => reauthenticated(state, controls),
    requireFresh: (maxAge) => requireFresh(state, maxAge),
    get authenticatedAt() {
      state.throwIfOpenFailed();
      return state.user === null ? undefined : state.authenticatedAt;
    },
    get userId() {
      state.throwIfOpenFailed();
      return state.user?.id;
    },
    get user() {
      state.throwIfOpenFailed();
      return state.attributes();
    },
    listSessions: () => listSessions(state),
    revokeSession: (handle) => revokeSession(state, controls, handle),
    async revokeOtherSessions() {
      const { userId, id } = requireUser(state);
      return state.storeCall('revokeSessions', () => state.options.store.revokeUserSessions(userId, { exceptSessionId: id }));
    },
  };
}
