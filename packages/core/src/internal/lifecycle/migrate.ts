import { createHmac } from 'node:crypto';
import { serialize, type SerializeOptions } from 'cookie';
import type { SessionError } from '../../errors.js';
import type { LegacySessionData, LegacySessionReader } from '../../legacy.js';
import type { StoredSession } from '../../store.js';
import { parseSessionId, userTag } from '../id.js';
import { checkJsonValue } from '../json-value.js';
import { limitRefused, loginLimit } from '../session-limit-options.js';
import { loadLoginUser } from './login-user.js';
import { newSessionRecord, requestUserAgent } from './new-record.js';
import type { RequestState } from './state.js';

/**
 * The data key of a pointer record: a short-lived anonymous record at the untagged derived id
 * of a migrated user's session, naming its tagged id, for requests that find the old record
 * already gone (a concurrent request moved it).
 */
const POINTER_KEY = 'sessionware.migratedTo';
/** How long a pointer lives: concurrent requests with the old cookie arrive within it. */
const POINTER_LIFETIME_MS = 60_000;

/**
 * The random part of a migrated session's id: base64url HMAC-SHA256 of the old id under the
 * first secret, 43 characters like a generated one. The same old session always gives the same
 * id, so two concurrent requests with the old cookie create one session, not two.
 */
export function migratedRandomPart(secret: string, library: string, oldId: string): string {
  return createHmac('sha256', secret).update('sessionware-migrate\0').update(library).update('\0').update(oldId).digest('base64url');
}

/** True when the request carries one of the old library's cookies. */
export function hasLegacyCookie(reader: LegacySessionReader, cookies: Readonly<Record<string, string | undefined>>): boolean {
  return reader.cookieNames.some((name) => cookies[name] !== undefined);
}

/** Set-Cookie values clearing the old library's cookies (Max-Age=0, their Path and Domain). */
export function clearingLegacyCookies(reader: LegacySessionReader, secure: boolean): string[] {
  const attributes: SerializeOptions = { path: reader.cookiePath, maxAge: 0, expires: new Date(0), httpOnly: true, secure };
  if (reader.cookieDomain !== undefined) attributes.domain = reader.cookieDomain;
  return reader.cookieNames.map((name) => serialize(name, '', attributes));
}

/**
 * Moves the old session a verified old cookie names into a sessionware session, before the
 * handler runs (issue 16): read the old record, create the new one at the derived id (or load
 * it, when a concurrent request created it), delete the old record, issue the new cookies and
 * clear the old ones. An old cookie that does not verify: anonymous, the old store untouched.
 * Any failure: phase `failed` (503 for the store), no cookie issued, the old record left for a retry.
 */
export async function migrateSession(state: RequestState, reader: LegacySessionReader, cookies: Readonly<Record<string, string | undefined>>): Promise<void> {
  state.legacyCookies = 'clear';
  const oldId = reader.sessionIdOf(cookies);
  if (oldId === undefined) return;
  state.openedAt = performance.now();
  try {
    const random = migratedRandomPart(state.options.secrets[0] as string, reader.library, oldId);
    const old = await state.storeCall('migrate', () => reader.read(oldId));
    if (old === null) await adoptMigrated(state, random);
    else await moveRecord(state, reader, oldId, random, old);
    if (state.id !== null) {
      state.token = await state.signer.sign(state.id);
      state.cookie = 'issue';
    }
  } catch (error) {
    state.becomeAnonymous('none');
    state.legacyCookies = 'kept';
    state.phase = 'failed';
    state.failure = error as SessionError;
  }
}

async function moveRecord(state: RequestState, reader: LegacySessionReader, oldId: string, random: string, old: LegacySessionData): Promise<void> {
  const { store } = state.options;
  const userId = reader.userIdOf(old);
  const user = userId === undefined ? null : await loadLoginUser(state, userId, 'migrate', 'to migrate a logged-in session (migrateFrom userIdOf)');
  const userGone = userId !== undefined && user === null;
  const data = serialiseData(reader.dataOf(old));
  // A user that is gone (loadUser answered null), or nothing worth keeping (SPEC T3): no new record.
  if (!userGone && (user !== null || Object.keys(data).length > 0)) {
    const id = user === null ? random : `${userTag(user.id)}.${random}`;
    const record: StoredSession = { data, ...newSessionRecord(state.options, Date.now(), user, requestUserAgent(state)) };
    // A migrated user's session is a login: it counts against maxSessionsPerUser (SPEC P4).
    const result = await state.storeCall('migrate', () => store.create(id, record, loginLimit(state.options, record.user)));
    if (result === 'limited') throw limitRefused(state.options.maxSessionsPerUser);
    if (result === 'created') state.adoptRecord(id, record);
    else await adoptMigrated(state, id);
    if (user !== null && state.id !== null) {
      const pointer = pointerRecord(id);
      await state.storeCall('migrate', () => store.create(random, pointer));
    }
  }
  // Never left behind: an old record could bring a session back after a logout.
  await state.storeCall('migrate', () => reader.destroy(oldId));
}

/** The old data as one JSON text per key, each value checked as an assignment is (SPEC O2). */
function serialiseData(data: LegacySessionData): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    checkJsonValue(key, value);
    texts[key] = JSON.stringify(value);
  }
  return texts;
}

function pointerRecord(target: string): StoredSession {
  const now = Date.now();
  const expiresAt = now + POINTER_LIFETIME_MS;
  return { data: { [POINTER_KEY]: JSON.stringify(target) }, createdAt: now, lastSeenAt: now, expiresAt, absoluteExpiresAt: expiresAt };
}

/** The tagged id a pointer record names, if `record` is one. */
function pointerTarget(record: StoredSession): string | undefined {
  const keys = Object.keys(record.data);
  const text = record.data[POINTER_KEY];
  if (record.user !== undefined || keys.length !== 1 || text === undefined) return undefined;
  const target: unknown = JSON.parse(text);
  return typeof target === 'string' && parseSessionId(target)?.tag !== undefined ? target : undefined;
}

/** Adopts the migrated session at `id` (following a pointer once) when a request already created it. */
async function adoptMigrated(state: RequestState, id: string): Promise<void> {
  const { store, idleTimeoutMs } = state.options;
  const load = (target: string) => state.storeCall('migrate', () => store.load(target, { now: Date.now(), idleTimeoutMs }));
  let target = id;
  let record = await load(target);
  const next = record === null ? undefined : pointerTarget(record);
  if (next !== undefined) {
    target = next;
    record = await load(target);
  }
  if (record !== null) state.adoptRecord(target, record);
}
