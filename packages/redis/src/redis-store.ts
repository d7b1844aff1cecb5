import type { Cluster, Redis } from 'ioredis';
import { sessionIdTag, userTag, USER_CHANGE_RETENTION_MS } from '@sessionware/core';
import type { DataChanges, ReplacementSession, SessionLimit, Store, StoredSession } from '@sessionware/core';
import { INDEX_VERSION, sessionKeys, userIndexKey } from './internal/layout.js';
import { resolveRedisStoreOptions, type RedisStoreOptions } from './internal/options.js';
import { decodeDeadlines, decodeListing, decodeLoaded, decodeTaken, indexEntry } from './internal/record.js';
import { evalAfterNoScript, runScript, type LuaScript, type ScriptArguments } from './internal/script.js';
import { CREATE_SCRIPT, createArguments } from './internal/scripts/create.js';
import { LIST_SCRIPT, listArguments } from './internal/scripts/list.js';
import { LOAD_SCRIPT, loadArguments } from './internal/scripts/load.js';
import { MARK_CHANGED_SCRIPT, markChangedArguments } from './internal/scripts/mark-changed.js';
import { PEEK_SCRIPT, peekArguments } from './internal/scripts/peek.js';
import { RELEASE_SCRIPT, releaseArguments } from './internal/scripts/release.js';
import { REMOVE_SCRIPT, removeArguments } from './internal/scripts/remove.js';
import { REPLACE_SCRIPT, replaceArguments } from './internal/scripts/replace.js';
import { RESERVE_SCRIPT, reserveArguments } from './internal/scripts/reserve.js';
import { REVOKE_SCRIPT, revokeArguments } from './internal/scripts/revoke.js';
import { TAKE_SCRIPT, takeArguments } from './internal/scripts/take.js';
import { UPDATE_SCRIPT, updateArguments } from './internal/scripts/update.js';

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
  const run = (script: LuaScript, keysAndArgs: ScriptArguments): Promise<unknown> => runScript(client, script, keysAndArgs);
  const isCluster = (client as { isCluster?: unknown }).isCluster === true;

  async function create(id: string, session: StoredSession, limit?: SessionLimit, reservation?: string): Promise<'created' | 'exists' | 'limited'> {
    const reply = await run(CREATE_SCRIPT, createArguments({ prefix, now: Date.now(), id, session, reservation, limit }));
    return answer(reply, ['created', 'exists', 'limited'] as const);
  }

  /** Lets go of a reservation nobody will complete; one that cannot be released now expires by itself. */
  async function release(newId: string, oldId: string): Promise<void> {
    await run(RELEASE_SCRIPT, releaseArguments(prefix, newId, oldId)).catch(() => undefined);
  }

  /**
   * Login across Cluster slots (different hash tags: no one script may touch both sessions),
   * in three steps that never leave both sessions valid (SPEC T6): reserve the new id
   * ('exists' if taken: nothing changed), take the old session, which deletes it and answers
   * its data in one atomic step ('missing' if it was not live: the reservation is released,
   * nothing else changed), then create the new session over the reservation with that data
   * and the login's changes merged in (SPEC T8). Between the last two steps neither session
   * is valid; a client that fails there leaves the user logged out, never logged in twice.
   *
   * A session limit (SPEC P4) is applied by the last step, the create, in the user's slot,
   * atomically with the write. A refusing limit is also checked by the reserve, so a login
   * refused there ('limited') writes nothing and the old session stays live; but when other
   * logins of the user fill the cap between the reserve and the create, the create answers
   * 'limited' after the old session was taken: that login is refused and its old session (an
   * anonymous one, or another user's) is gone with its data, so the client is left logged out.
   */
  async function replaceAcrossSlots(
    oldId: string,
    newId: string,
    session: ReplacementSession,
    changes: DataChanges,
    limit: SessionLimit | undefined,
  ): Promise<'created' | 'exists' | 'missing' | 'limited'> {
    indexEntry(prefix, newId, session);
    const reserved = await run(RESERVE_SCRIPT, reserveArguments(prefix, newId, Date.now(), oldId, Date.now() + RESERVATION_MS, limit));
    const reservation = answer(reserved, ['reserved', 'exists', 'limited'] as const);
    if (reservation !== 'reserved') return reservation;
    const data = decodeTaken(await run(TAKE_SCRIPT, takeArguments(prefix, oldId, Date.now())));
    if (data === null) {
      // The answer is 'missing' either way.
      await release(newId, oldId);
      return 'missing';
    }
    // As the replace script merges: the old data, minus unset, plus set (set wins).
    for (const unsetKey of changes.unset) delete data[unsetKey];
    for (const [setKey, value] of Object.entries(changes.set)) data[setKey] = value;
    const created = await create(newId, { ...session, data }, limit, oldId);
    if (created === 'limited') await release(newId, oldId);
    return created;
  }

  return {
    async load(id, { now, idleTimeoutMs }) {
      const keysAndArgs = loadArguments(prefix, id, now, idleTimeoutMs);
      // \`runScript\` inline: one promise fewer on the path of every request with a session.
      let reply: unknown;
      try {
        reply = await client.evalsha(LOAD_SCRIPT.sha, ...keysAndArgs);
      } catch (error) {
        reply = await evalAfterNoScript(client, LOAD_SCRIPT, keysAndArgs, error);
      }
      return decodeLoaded(reply);
    },

    async peek(id, now) {
      return decodeDeadlines(await run(PEEK_SCRIPT, peekArguments(prefix, id, now)));
    },

    create,

    async update(id, changes) {
      return answer(await run(UPDATE_SCRIPT, updateArguments(prefix, id, Date.now(), changes)), ['updated', 'missing'] as const);
    },

    async replace(oldId, newId, session, changes, limit) {
      if (isCluster && sessionIdTag(oldId) !== sessionIdTag(newId)) return replaceAcrossSlots(oldId, newId, session, changes, limit);
      const reply = await run(REPLACE_SCRIPT, replaceArguments({ prefix, now: Date.now(), oldId, newId, session, changes, limit }));
      return answer(reply, ['created', 'exists', 'missing', 'limited'] as const);
    },

    async destroy(id) {
      const keys = sessionKeys(prefix, id);
      if (keys.indexKey === undefined) await client.unlink(keys.sessionKey);
      else answer(await run(REMOVE_SCRIPT, removeArguments(prefix, id, Date.now())), ['removed', 'missing'] as const);
    },

    async userVersion(userId) {
      const version = await client.hget(userIndexKey(prefix, userTag(userId)), INDEX_VERSION);
      return version === null ? 0 : Number(version);
    },

    async markUserChanged(userId) {
      await run(MARK_CHANGED_SCRIPT, markChangedArguments(prefix, userId, USER_CHANGE_RETENTION_MS));
    },

    async listUserSessions(userId, now) {
      return decodeListing(await run(LIST_SCRIPT, listArguments(prefix, userId, now)));
    },

    async revokeUserSessions(userId, selection) {
      const reply = await run(REVOKE_SCRIPT, revokeArguments(prefix, userId, Date.now(), selection));
      if (typeof reply !== 'number') throw new Error('unexpected reply from a sessionware script: expected a count');
      return reply;
    },
  };
}
