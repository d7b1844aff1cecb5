import { SessionConflictError, SessionStoreError } from '../../errors.js';
import type { StoredSession } from '../../store.js';
import { generateHandle, generateSessionId } from '../id.js';
import { checkRecordSize, checkUpdateSize } from '../session-size.js';
import { boundedStoreCall } from '../timeout.js';
import { writeCookies } from './cookies.js';
import { planCommit, type CommitState, type DataStatus, type StoreStep } from './plan-commit.js';
import type { RequestState } from './state.js';

/** How many fresh ids to try when the store reports a collision (SPEC T5). */
const CREATE_ATTEMPTS = 5;
/** Longest User-Agent kept for session listings. */
const MAX_USER_AGENT = 256;

/** The state as `planCommit` reads it. Throws `SessionDataError` when a value cannot be stored. */
export function commitState(state: RequestState): CommitState {
  const stored = state.id !== null;
  let data: DataStatus;
  if (!stored) data = state.data.empty ? 'empty' : 'changed';
  else data = state.data.unchanged() ? 'unchanged' : 'changed';
  return { phase: state.phase, intent: state.intent, stored, data, cookie: state.cookie, signed: state.token !== null };
}

/** Runs a commit: the planned store steps one by one, then the cookies (SPEC T4–T8). */
export async function runCommit(state: RequestState): Promise<void> {
  for (;;) {
    const plan = planCommit(commitState(state));
    if (plan.store === 'none') {
      if (plan.sign && state.id !== null) state.token = await state.signer.sign(state.id);
      writeCookies(state, plan.cookie);
      return;
    }
    await STEPS[plan.store](state);
  }
}

function storeCall<T>(state: RequestState, operation: string, call: () => Promise<T>): Promise<T> {
  return boundedStoreCall(operation, state.options.storeTimeoutMs, call);
}

const STEPS: Record<Exclude<StoreStep, 'none'>, (state: RequestState) => Promise<void>> = {
  create: (state) => storeNewRecord(state, null),
  replace: (state) => storeNewRecord(state, state.id),
  update,
  destroy,
};

async function update(state: RequestState): Promise<void> {
  const id = state.id as string;
  const changes = state.data.changes();
  checkUpdateSize(state.data, changes, state.options.maxSessionBytes);
  const result = await storeCall(state, 'commit', () => state.options.store.update(id, changes));
  if (result === 'missing') refuse(state);
  state.data.committedChanges(changes);
}

async function destroy(state: RequestState): Promise<void> {
  const id = state.id as string;
  await storeCall(state, 'destroy', () => state.options.store.destroy(id));
  const intent = state.intent;
  // Keys set after destroy() start a new, anonymous session.
  state.id = null;
  state.token = null;
  state.handle = undefined;
  state.adoptUser(null);
  state.data.forgetBaseline();
  state.cookie = 'clear';
  if (intent === 'destroy') state.intent = 'none';
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

/** The record of a new session, or of a login's new id; its data is added by the caller. */
function newRecord(state: RequestState, now: number): Omit<StoredSession, 'data'> {
  const { idleTimeoutMs, absoluteTimeoutMs } = state.options;
  const record: Omit<StoredSession, 'data'> = {
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt: now + absoluteTimeoutMs,
    expiresAt: now + Math.min(idleTimeoutMs, absoluteTimeoutMs),
  };
  const user = state.user;
  if (user !== null) {
    record.user = user;
    record.handle = generateHandle();
    const userAgent = state.intent === 'login' ? state.request.userAgent?.slice(0, MAX_USER_AGENT) : state.userAgent;
    if (userAgent !== undefined && userAgent !== '') record.userAgent = userAgent;
  }
  return record;
}

/**
 * Creates a record, or replaces `oldId` with one (login, `regenerate()`), retrying id
 * collisions (SPEC T5, T6). A replace sends only this request's changes: the store carries
 * the old session's latest data, so a write acknowledged on the old id is kept (SPEC T8).
 */
async function storeNewRecord(state: RequestState, oldId: string | null): Promise<void> {
  const { store } = state.options;
  const record = newRecord(state, Date.now());
  const changes = oldId === null ? undefined : state.data.changes();
  const data = oldId === null ? state.data.snapshot() : undefined;
  // Before any store call: nothing of a change past the cap is written (SPEC T10).
  if (changes === undefined) checkRecordSize(state.data, data ?? {}, state.options.maxSessionBytes);
  else checkUpdateSize(state.data, changes, state.options.maxSessionBytes);
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt += 1) {
    const newId = generateSessionId(state.user?.id);
    const result = oldId === null || changes === undefined
      ? await storeCall(state, 'create', () => store.create(newId, { ...record, data: data ?? {} }))
      : await storeCall(state, 'regenerate', () => store.replace(oldId, newId, record, changes));
    if (result === 'missing') {
      replacedMeanwhile(state);
      return;
    }
    if (result === 'created') {
      state.id = newId;
      state.token = null;
      state.expiresAt = record.expiresAt;
      state.handle = record.handle;
      state.userAgent = record.userAgent;
      state.intent = 'none';
      state.cookie = 'issue';
      if (changes === undefined) state.data.committedAll(data ?? {});
      else state.data.committedChanges(changes);
      return;
    }
  }
  throw new SessionStoreError('create', `no free session id after ${CREATE_ATTEMPTS} attempts`);
}

/**
 * A login's old session was destroyed meanwhile (a logout racing the login): the login goes on
 * with a fresh session holding only this request's own changes (SPEC T8). A `regenerate()` of a
 * user's session is refused instead: that user was logged out.
 */
function replacedMeanwhile(state: RequestState): void {
  if (state.intent !== 'login' && state.user !== null) refuse(state);
  state.id = null;
  state.token = null;
  state.handle = undefined;
  state.data.keepOnlyChanges();
}
