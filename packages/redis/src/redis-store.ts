import type { Cluster, Redis } from 'ioredis';
import { sessionIdTag, USER_CHANGE_RETENTION_MS } from '@sessionware/core';
import type {
  DataChanges,
  LoadContext,
  LoadedSession,
  ReplacementSession,
  RevokeSelection,
  SessionChanges,
  Store,
  StoredSession,
  UserSessionEntry,
} from '@sessionware/core';
import { indexKeyOfTag, INDEX_VERSION, isUserSessionId, sessionKey, userIndexKey } from './internal/layout.js';
import { resolveRedisStoreOptions, type RedisStoreOptions } from './internal/options.js';
import { decodeListing, decodeLoaded, decodeTaken, encodeChanges, encodeRecord, indexHandle } from './internal/record.js';
import {
  CREATE_SCRIPT,
  LOAD_SCRIPT,
  RELEASE_SCRIPT,
  REMOVE_SCRIPT,
  REPLACE_SCRIPT,
  replaceArguments,
  RESERVE_SCRIPT,
  TAKE_SCRIPT,
  takeArguments,
  UPDATE_SCRIPT,
} from './internal/session-scripts.js';
import { LIST_SCRIPT, MARK_CHANGED_SCRIPT, REVOKE_SCRIPT } from './internal/user-scripts.js';
import { evalAfterNoScript, luaScript, runScript, type LuaScript, type ScriptArguments } from './internal/script.js';

/** The store's scripts, each hashed once. */
const SCRIPTS = {
  load: luaScript(LOAD_SCRIPT),
  create: luaScript(CREATE_SCRIPT),
  replace: luaScript(REPLACE_SCRIPT),
  remove: luaScript(REMOVE_SCRIPT),
  reserve: luaScript(RESERVE_SCRIPT),
  take: luaScript(TAKE_SCRIPT),
  release: luaScript(RELEASE_SCRIPT),
  update: luaScript(UPDATE_SCRIPT),
  markUserChanged: luaScript(MARK_CHANGED_SCRIPT),
  listUserSessions: luaScript(LIST_SCRIPT),
  revokeUserSessions: luaScript(REVOKE_SCRIPT),
} as const;

/** The script's answer, checked to be one of `answers`. */
function answer<T extends string>(reply: unknown, answers: readonly T[]): T {
  if (typeof reply === 'string' && (answers as readonly string[]).includes(reply)) return reply as T;
  throw new Error(`unexpected reply from a sessionware script: expected one of ${answers.join(', ')}`);
}

/**
 * How long a login across Cluster slots holds its new id while it takes the old session.
 * Only a create or replace onto that very id (a collision of 256-bit random ids, or two
 * logins racing for one id) ever waits on it; a reservation left by a client that died
 * mid-login expires by itself.
 */
const RESERVATION_MS = 60_000;

/** A script's keys as EVALSHA takes them: `[keys.length, ...keys]`. */
function keyed(...keys: string[]): [number, ...string[]] {
  return [keys.length, ...keys];
}

/**
 * The Redis session store, on a client you create and own (`ioredis` `Redis`, including
 * Sentinel, or `Cluster`). Each Store call is one round trip (a login across Cluster slots
 * three, never leaving both sessions valid): `destroy` of an anonymous session is one UNLINK,
 * `userVersion` one HGET, everything else one Lua script, run atomically by Redis through
 * EVALSHA. Sessions are hashes at `${prefix}s:{…}` that Redis expires at their earlier
 * deadline; each user has an index hash at `${prefix}u:{<user tag>}` in the same Cluster slot
 * as the user's sessions (SPEC S1).
 *
 * The store runs its scripts with EVALSHA (EVAL when the server does not know one yet) and
 * adds nothing to the client; it never connects, quits or listens to it: configure its
 * reconnection and attach its `error` listener yourself.
 *
 * @example
 * ```ts
 * const store = redisStore(new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 }));
 * app.use(session({ store }));
 * ```
 * @throws SessionConfigError when `client` is not an ioredis client or an option is invalid.
 */
export function redisStore(client: Redis | Cluster, options?: RedisStoreOptions): Store {
  const { prefix } = resolveRedisStoreOptions(client, options);
  const run = (script: LuaScript, ...keysAndArgs: ScriptArguments): Promise<unknown> => runScript(client, script, keysAndArgs);
  const isCluster = (client as { isCluster?: unknown }).isCluster === true;
  const key = (id: string): string => sessionKey(prefix, id);
  /** The user index of a session id's tag, for an id that carries a user tag. */
  const indexOfId = (id: string): string | undefined => (isUserSessionId(id) ? indexKeyOfTag(prefix, sessionIdTag(id)) : undefined);

  /**
   * A record as script arguments after its keys: now, expireAt, id, handle ('' when it joins
   * no index), keepIndexUntil, the reservation it completes ('' for none), then its fields.
   * Throws for a user's session that cannot be indexed (see `indexHandle`), before anything
   * is written.
   */
  function recordArgs(id: string, session: StoredSession, reservation = ''): { handle: string | undefined; head: string[]; fields: string[] } {
    const handle = indexHandle(id, session);
    const { expireAt, fields } = encodeRecord(session);
    const keepIndexUntil = String(Math.ceil(session.absoluteExpiresAt));
    return { handle, head: [String(Date.now()), expireAt, id, handle ?? '', keepIndexUntil, reservation], fields };
  }

  async function create(id: string, session: StoredSession, reservation = ''): Promise<'created' | 'exists'> {
    const { handle, head, fields } = recordArgs(id, session, reservation);
    const keys = handle === undefined ? keyed(key(id)) : keyed(key(id), indexKeyOfTag(prefix, sessionIdTag(id)));
    return answer(await run(SCRIPTS.create, ...keys, ...head, ...fields), ['created', 'exists'] as const);
  }

  /** Deletes a session and its index entry, if it has one: 'removed' when it was live. */
  async function remove(id: string): Promise<'removed' | 'missing'> {
    const indexKey = indexOfId(id);
    const keys = indexKey === undefined ? keyed(key(id)) : keyed(key(id), indexKey);
    return answer(await run(SCRIPTS.remove, ...keys, String(Date.now()), id), ['removed', 'missing'] as const);
  }

  /**
   * Login across Cluster slots (different hash tags: no one script may touch both sessions),
   * in three steps that never leave both sessions valid (SPEC T6): reserve the new id
   * ('exists' if taken: nothing changed), take the old session, which deletes it and answers
   * its data in one atomic step ('missing' if it was not live: the reservation is released,
   * nothing else changed), then create the new session over the reservation with that data
   * and the login's changes merged in (SPEC T8). Between the last two steps neither session
   * is valid; a client that fails there leaves the user logged out, never logged in twice.
   */
  async function replaceAcrossSlots(
    oldId: string,
    newId: string,
    session: ReplacementSession,
    changes: DataChanges,
  ): Promise<'created' | 'exists' | 'missing'> {
    indexHandle(newId, session);
    const reserved = await run(SCRIPTS.reserve, ...keyed(key(newId)), String(Date.now()), oldId, String(Date.now() + RESERVATION_MS));
    if (answer(reserved, ['reserved', 'exists'] as const) === 'exists') return 'exists';
    const data = decodeTaken(await run(SCRIPTS.take, ...takeArguments(Date.now(), oldId, key(oldId), indexOfId(oldId))));
    if (data === null) {
      // The answer is 'missing' either way: a reservation that cannot be released now holds
      // an id nobody knows and expires by itself.
      await run(SCRIPTS.release, ...keyed(key(newId)), oldId).catch(() => undefined);
      return 'missing';
    }
    // As the replace script merges: the old data, minus unset, plus set (set wins).
    for (const unsetKey of changes.unset) delete data[unsetKey];
    for (const [setKey, value] of Object.entries(changes.set)) data[setKey] = value;
    return create(newId, { ...session, data }, oldId);
  }

  return {
    async load(id: string, { now, idleTimeoutMs }: LoadContext): Promise<LoadedSession | null> {
      const indexKey = indexOfId(id);
      const deadline = String(Math.ceil(now + idleTimeoutMs));
      const keysAndArgs: ScriptArguments = indexKey === undefined
        ? [1, key(id), String(now), deadline, id]
        : [2, key(id), indexKey, String(now), deadline, id];
      // `runScript` inline: one promise fewer on the path of every request with a session.
      let reply: unknown;
      try {
        reply = await client.evalsha(SCRIPTS.load.sha, ...keysAndArgs);
      } catch (error) {
        reply = await evalAfterNoScript(client, SCRIPTS.load, keysAndArgs, error);
      }
      return decodeLoaded(reply);
    },

    create,

    async update(id: string, changes: SessionChanges): Promise<'updated' | 'missing'> {
      const reply = await run(SCRIPTS.update, ...keyed(key(id)), String(Date.now()), ...encodeChanges(changes));
      return answer(reply, ['updated', 'missing'] as const);
    },

    async replace(oldId: string, newId: string, session: ReplacementSession, changes: DataChanges): Promise<'created' | 'exists' | 'missing'> {
      if (isCluster && sessionIdTag(oldId) !== sessionIdTag(newId)) return replaceAcrossSlots(oldId, newId, session, changes);
      const handle = indexHandle(newId, session);
      const reply = await run(SCRIPTS.replace, ...replaceArguments({
        now: Date.now(),
        oldId,
        oldKey: key(oldId),
        oldIndexKey: indexOfId(oldId),
        newId,
        newKey: key(newId),
        newIndex: handle === undefined ? undefined : { key: indexKeyOfTag(prefix, sessionIdTag(newId)), handle },
        session,
        changes,
      }));
      return answer(reply, ['created', 'exists', 'missing'] as const);
    },

    async destroy(id: string): Promise<void> {
      if (indexOfId(id) === undefined) await client.unlink(key(id));
      else await remove(id);
    },

    async userVersion(userId: string): Promise<number> {
      const version = await client.hget(userIndexKey(prefix, userId), INDEX_VERSION);
      return version === null ? 0 : Number(version);
    },

    async markUserChanged(userId: string): Promise<void> {
      await run(SCRIPTS.markUserChanged, ...keyed(userIndexKey(prefix, userId)), String(USER_CHANGE_RETENTION_MS));
    },

    async listUserSessions(userId: string, now: number): Promise<UserSessionEntry[]> {
      return decodeListing(await run(SCRIPTS.listUserSessions, ...keyed(userIndexKey(prefix, userId)), String(now)));
    },

    async revokeUserSessions(userId: string, { handles, exceptSessionId }: RevokeSelection): Promise<number> {
      const selection = handles === undefined ? ['1'] : ['0', ...handles];
      const reply = await run(SCRIPTS.revokeUserSessions,
        ...keyed(userIndexKey(prefix, userId)), String(Date.now()), exceptSessionId ?? '', ...selection,
      );
      if (typeof reply !== 'number') throw new Error('unexpected reply from a sessionware script: expected a count');
      return reply;
    },
  };
}
