import { SessionConflictError } from '../../errors.js';
import type { DataChanges, SessionChanges } from '../../store.js';
import { limitRefused, loginLimit } from '../session-limit-options.js';
import { checkRecordSize, checkUpdateSize } from '../session-size.js';
import { writeCookies } from './cookies.js';
import { withFreshId } from './fresh-id.js';
import { newSessionRecord, requestUserAgent, type Lifetime } from './new-record.js';
import { planCommit, type CommitState, type DataStatus, type StoreStep } from './plan-commit.js';
import { renewSession } from './renew.js';
import type { RequestState } from './state.js';

/**
 * The state as `planCommit` reads it. `data` defaults to a comparison of the values with the
 * baseline (which throws `SessionDataError` when a value cannot be stored).
 */
export function commitState(state: RequestState, data: DataStatus = dataStatus(state)): CommitState {
  return { phase: state.phase, intent: state.intent, stored: state.id !== null, data, cookie: state.cookie, signed: state.token !== null, renewalDue: state.renewalDue };
}

function dataStatus(state: RequestState): DataStatus {
  if (state.id === null) return state.data.empty ? 'empty' : 'changed';
  return state.data.unchanged() && state.reauthenticatedAt === undefined ? 'unchanged' : 'changed';
}

/** What an update of this request would store: the changed keys, and a `reauthenticated()` time (SPEC P3). */
function pendingChanges(state: RequestState): SessionChanges {
  const changes: SessionChanges = state.data.changes();
  if (state.reauthenticatedAt !== undefined) changes.authenticatedAt = state.reauthenticatedAt;
  return changes;
}

function hasChanges(changes: SessionChanges): boolean {
  return changes.unset.length > 0 || Object.keys(changes.set).length > 0 || changes.authenticatedAt !== undefined;
}

/**
 * Runs a commit: the planned store steps one by one, then the cookies (SPEC T4–T8). The changes
 * a plan is decided from are the ones its step stores, so values are serialised once; a step
 * that stored them answers that the data is now unchanged.
 */
export async function runCommit(state: RequestState): Promise<void> {
  let known: DataStatus | undefined;
  for (;;) {
    let changes: DataChanges | undefined;
    let data = known;
    if (data === undefined && state.id !== null) {
      changes = pendingChanges(state);
      data = hasChanges(changes) ? 'changed' : 'unchanged';
    }
    const plan = planCommit(commitState(state, data ?? dataStatus(state)));
    if (plan.store === 'none') {
      if (plan.sign && state.id !== null) state.token = await state.signer.sign(state.id);
      writeCookies(state, plan.cookie);
      return;
    }
    known = await STEPS[plan.store](state, changes ?? state.data.changes());
  }
}

/** A store step, given the changes its plan was decided from; answers the data status after it, when known. */
type Step = (state: RequestState, changes: DataChanges) => Promise<DataStatus | undefined>;

const STEPS: Record<Exclude<StoreStep, 'none'>, Step> = {
  create: (state) => storeNewRecord(state, null, undefined),
  replace: (state, changes) => storeNewRecord(state, state.id, changes),
  update,
  destroy,
  renew,
};

/**
 * A new id for a user's session (SPEC P2). A session that ended meanwhile is anonymous, its
 * cookies cleared; this request's changes are refused, as `update` refuses them (SPEC T8).
 */
async function renew(state: RequestState, changes: DataChanges): Promise<undefined> {
  if ((await renewSession(state)) === 'missing') {
    if (hasChanges(changes)) refuse(state);
    state.becomeAnonymous('clear');
  }
  return undefined;
}

async function update(state: RequestState, changes: DataChanges): Promise<DataStatus> {
  const id = state.id as string;
  checkUpdateSize(state.data, changes, state.options.maxSessionBytes);
  const result = await state.storeCall('commit', () => state.options.store.update(id, changes));
  if (result === 'missing') refuse(state);
  state.data.committedChanges(changes);
  state.reauthenticatedAt = undefined;
  return 'unchanged';
}

async function destroy(state: RequestState): Promise<undefined> {
  const id = state.id as string;
  await state.storeCall('destroy', () => state.options.store.destroy(id));
  const intent = state.intent;
  // Keys set after destroy() start a new, anonymous session.
  state.forgetRecord();
  state.adoptUser(null);
  state.forgetLifetime();
  state.data.forgetBaseline();
  state.cookie = 'clear';
  if (intent === 'destroy') state.intent = 'none';
  return undefined;
}

/**
 * The session ended meanwhile (logged out, revoked, expired, or logged in on another request):
 * this request's change is refused, not acknowledged and lost (SPEC T8). Its cookies are cleared.
 */
function refuse(state: RequestState): never {
  state.becomeAnonymous('clear');
  writeCookies(state, 'clear');
  throw new SessionConflictError('the session ended while this request changed it (logged out, or logged in on another request); the change was not stored');
}

/**
 * How the new record's lifetime is chosen: by the login (SPEC P1, P3), kept by a logged-in
 * session's `regenerate()` (with a `reauthenticated()` of this request), else from the options.
 */
function lifetimeOf(state: RequestState, oldId: string | null): Lifetime {
  if (state.intent === 'login') {
    return { from: 'login', login: state.loginLifetime ?? { cookieExpiry: undefined, idleTimeoutMs: undefined, absoluteTimeoutMs: state.options.absoluteTimeoutMs } };
  }
  if (oldId === null || state.user === null) return { from: 'options' };
  const { createdAt, absoluteExpiresAt, authenticatedAt, cookieExpiry, ownIdleTimeoutMs: idleTimeoutMs } = state;
  return { from: 'kept', record: { createdAt, absoluteExpiresAt, authenticatedAt, cookieExpiry, idleTimeoutMs } };
}

/**
 * Creates a record, or replaces `oldId` with one (login, `regenerate()`), retrying id
 * collisions (`withFreshId()`, SPEC T5, T6). A replace sends only this request's changes: the store carries
 * the old session's latest data, so a write acknowledged on the old id is kept (SPEC T8).
 * A login is stored under `maxSessionsPerUser` (SPEC P4); one the store refuses throws
 * `SessionLimitError` with nothing written: the request still names its old session, the
 * login still pending, and its cookies are not touched.
 */
async function storeNewRecord(state: RequestState, oldId: string | null, changes: DataChanges | undefined): Promise<DataStatus | undefined> {
  const { store } = state.options;
  const userAgent = state.intent === 'login' ? requestUserAgent(state) : state.userAgent;
  const record = newSessionRecord(state.options, Date.now(), state.user, userAgent, lifetimeOf(state, oldId));
  const data = oldId === null ? state.data.snapshot() : undefined;
  // A login only: a `regenerate()` of a user's session adds no session.
  const limit = state.intent === 'login' ? loginLimit(state.options, record.user) : undefined;
  // Before any store call: nothing of a change past the cap is written (SPEC T10).
  if (data !== undefined) checkRecordSize(state.data, data, state.options.maxSessionBytes);
  else if (changes !== undefined) checkUpdateSize(state.data, changes, state.options.maxSessionBytes);
  const stored = await withFreshId('create', state.user?.id, async (newId) => {
    const result = oldId === null || changes === undefined
      ? await state.storeCall('create', () => store.create(newId, { ...record, data: data ?? {} }, limit))
      : await state.storeCall('regenerate', () => store.replace(oldId, newId, record, changes, limit));
    return result === 'created' ? { created: newId } : result;
  });
  if (stored === 'limited') throw limitRefused(state.options.maxSessionsPerUser);
  if (stored === 'missing') {
    replacedMeanwhile(state);
    return undefined;
  }
  state.renewalDue = false;
  state.id = stored.created;
  state.token = null;
  state.adoptMetadata(record);
  state.reauthenticatedAt = undefined;
  state.loginLifetime = undefined;
  state.intent = 'none';
  state.cookie = 'issue';
  if (data !== undefined) state.data.committedAll(data);
  else if (changes !== undefined) state.data.committedChanges(changes);
  return 'unchanged';
}

/**
 * A login's old session was destroyed meanwhile (a logout racing the login): the login goes on
 * with a fresh session holding only this request's own changes (SPEC T8). A `regenerate()` of a
 * user's session is refused instead: that user was logged out.
 */
function replacedMeanwhile(state: RequestState): void {
  if (state.intent !== 'login' && state.user !== null) refuse(state);
  state.forgetRecord();
  state.data.keepOnlyChanges();
}
