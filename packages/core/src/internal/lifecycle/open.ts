import { parse } from 'cookie';
import { SessionDataError, type SessionHookError, type SessionStoreError } from '../../errors.js';
import type { StoredUser } from '../../store.js';
import { cookieNamesOf } from '../cookie-options.js';
import { boundedHookCall } from '../timeout.js';
import { writeCookies } from './cookies.js';
import { hasLegacyCookie, migrateSession } from './migrate.js';
import { serialiseAttributes, type RequestState } from './state.js';

function readCookies(header: string | undefined): Record<string, string | undefined> {
  try {
    return parse(header ?? '');
  } catch {
    return {};
  }
}

/** The open ends in `failed`: every use of the session throws `error` (SPEC F1, F4). */
function fail(state: RequestState, error: unknown): void {
  state.phase = 'failed';
  state.failure = error as SessionStoreError | SessionHookError | SessionDataError;
}

/**
 * Opens the session: reads the cookies, verifies the signed one, loads and slides the record,
 * refreshes a changed user (SPEC C3, C5, K2, T2, U2, U3). Work known now (a cookie of a rotated
 * key, a refreshed user, on Express the cookies) is done before the handler runs, so a request
 * that changes nothing needs no hold.
 */
export async function openSession(state: RequestState): Promise<void> {
  await loadSession(state);
  if (state.request.cookiesAtOpen === true) writeCookies(state, state.cookie);
}

async function loadSession(state: RequestState): Promise<void> {
  const { options, signer } = state;
  const [, indicator] = cookieNamesOf(options.cookie);
  const cookies = readCookies(state.request.cookieHeader);
  const token = cookies[options.cookie.name];
  const indicatorValue = indicator === undefined ? undefined : cookies[indicator];
  if (token === undefined) {
    // A stray indicator (SPEC C5) is cleared; requests without a session cookie never touch the store (F1).
    if (indicatorValue !== undefined) state.cookie = 'clear';
    // Only a request with an old cookie pays for the migration (issue 16).
    const reader = options.migrateFrom;
    if (reader !== undefined && hasLegacyCookie(reader, cookies)) await migrateSession(state, reader, cookies);
    return;
  }
  // Already on sessionware: an old cookie left over is cleared, its record left to its own expiry.
  if (options.migrateFrom !== undefined && hasLegacyCookie(options.migrateFrom, cookies)) state.legacyCookies = 'clear';
  state.openedAt = performance.now();
  const verified = signer.cached(token) ?? (await signer.verify(token));
  if (verified === null) {
    state.cookie = 'clear';
    return;
  }
  const id = verified.sessionId;
  state.id = id;
  if (state.request.peek === true) {
    await peekSession(state, id);
    return;
  }
  let record;
  try {
    const context = { now: Date.now(), idleTimeoutMs: options.idleTimeoutMs };
    record = await state.storeCall('load', () => options.store.load(id, context));
  } catch (error) {
    fail(state, error);
    return;
  }
  if (record === null) {
    state.becomeAnonymous('clear');
    return;
  }
  state.adoptRecord(id, record);
  if (record.user !== undefined) {
    const latest = record.userVersion ?? record.user.version;
    if (latest !== record.user.version && !(await refreshUser(state, record.user.id, latest))) return;
  }
  if (!verified.currentKey) {
    // Re-signed now, before the handler (SPEC K2).
    state.token = await signer.sign(id);
    state.cookie = 'issue';
  } else {
    state.token = token;
    const indicatorMissing = indicator !== undefined && indicatorValue !== '1';
    if (state.expiry() === 'persistent' || indicatorMissing) state.cookie = 'issue';
  }
}

/**
 * The peek route (SPEC P5): the session's deadlines read without sliding them, nothing else.
 * The request's session is unusable otherwise (its data was not read); a session gone from the
 * store is anonymous and its cookies are cleared (C3).
 */
async function peekSession(state: RequestState, id: string): Promise<void> {
  let deadlines;
  try {
    deadlines = await state.storeCall('peek', () => state.options.store.peek(id, Date.now()));
  } catch (error) {
    fail(state, error);
    return;
  }
  if (deadlines === null) {
    state.becomeAnonymous('clear');
    return;
  }
  state.peeked = deadlines;
  fail(state, new SessionDataError('this request is the peek route (GET …/session): it reads the deadlines only, so its session cannot be used'));
}

/** Reloads a changed user's attributes before the handler runs (SPEC U2). False when the session ended or failed. */
async function refreshUser(state: RequestState, userId: string, version: number): Promise<boolean> {
  const { options } = state;
  const loadUser = options.loadUser;
  if (loadUser === undefined) return true;
  const id = state.id as string;
  try {
    const attributes = await boundedHookCall('loadUser', options.storeTimeoutMs, () => loadUser(userId));
    if (attributes === null) {
      // A deleted or disabled user: the session ends, the request is anonymous (SPEC U3).
      await state.storeCall('destroy', () => options.store.destroy(id));
      state.becomeAnonymous('clear');
      return false;
    }
    const user: StoredUser = { id: userId, version, attributes: serialiseAttributes(attributes) };
    state.adoptUser(user);
    // The refreshed copy is stored now, so the session is unchanged when the handler runs.
    const result = await state.storeCall('commit', () => options.store.update(id, { set: {}, unset: [], user }));
    if (result === 'missing') {
      state.becomeAnonymous('clear');
      return false;
    }
    return true;
  } catch (error) {
    fail(state, error);
    return false;
  }
}
