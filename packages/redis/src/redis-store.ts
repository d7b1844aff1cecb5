import type { Cluster, Redis } from 'ioredis';
import type { LoadContext, SessionChanges, Store, StoredSession } from '@sessionware/core';
import { sessionKey } from './internal/layout.js';
import { resolveRedisStoreOptions, type RedisStoreOptions } from './internal/options.js';
import { decodeRecord, encodeChanges, encodeRecord } from './internal/record.js';
import { CREATE_SCRIPT, LOAD_SCRIPT, REPLACE_SCRIPT, UPDATE_SCRIPT } from './internal/scripts.js';

/** The commands `defineCommand` adds to the client, as this store calls them. */
interface ScriptCommands {
  sessionwareLoad(key: string, now: string, idleTimeoutMs: string): Promise<unknown>;
  sessionwareCreate(key: string, now: string, ...record: string[]): Promise<unknown>;
  sessionwareReplace(oldKey: string, newKey: string, now: string, ...record: string[]): Promise<unknown>;
  sessionwareUpdate(key: string, now: string, ...changes: string[]): Promise<unknown>;
}

/** The script's answer, checked to be one of `answers`. */
function answer<T extends string>(reply: unknown, answers: readonly T[]): T {
  if (typeof reply === 'string' && (answers as readonly string[]).includes(reply)) return reply as T;
  throw new Error(`unexpected reply from a sessionware script: expected one of ${answers.join(', ')}`);
}

const SCRIPTS: Record<keyof ScriptCommands, { numberOfKeys: number; lua: string }> = {
  sessionwareLoad: { numberOfKeys: 1, lua: LOAD_SCRIPT },
  sessionwareCreate: { numberOfKeys: 1, lua: CREATE_SCRIPT },
  sessionwareReplace: { numberOfKeys: 2, lua: REPLACE_SCRIPT },
  sessionwareUpdate: { numberOfKeys: 1, lua: UPDATE_SCRIPT },
};

/**
 * The Redis session store, on a client you create and own (`ioredis` `Redis`, including
 * Sentinel, or `Cluster`). Each Store call is one round trip: `destroy` is one UNLINK, the
 * other four are one Lua script each, run atomically by Redis through EVALSHA. Sessions are
 * hashes at `${prefix}s:{${id}}` that Redis expires at their earlier deadline.
 *
 * The store adds four commands (`sessionwareLoad`, `sessionwareCreate`, `sessionwareReplace`,
 * `sessionwareUpdate`) to the client with `defineCommand`, and never connects, quits or
 * listens to it: configure its reconnection and attach its `error` listener yourself.
 *
 * On Redis Cluster `replace` (login, `regenerate()`) needs both ids in one slot, which they
 * are not yet: see the README.
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
  for (const [name, definition] of Object.entries(SCRIPTS)) client.defineCommand(name, definition);
  const commands = client as unknown as ScriptCommands;
  const key = (id: string): string => sessionKey(prefix, id);

  return {
    async load(id: string, { now, idleTimeoutMs }: LoadContext): Promise<StoredSession | null> {
      const reply = await commands.sessionwareLoad(key(id), String(now), String(idleTimeoutMs));
      return reply === null ? null : decodeRecord(reply);
    },

    async create(id: string, session: StoredSession): Promise<'created' | 'exists'> {
      const reply = await commands.sessionwareCreate(key(id), String(Date.now()), ...encodeRecord(session));
      return answer(reply, ['created', 'exists'] as const);
    },

    async update(id: string, { set, unset }: SessionChanges): Promise<'updated' | 'missing'> {
      const reply = await commands.sessionwareUpdate(key(id), String(Date.now()), ...encodeChanges(set, unset));
      return answer(reply, ['updated', 'missing'] as const);
    },

    async replace(oldId: string, newId: string, session: StoredSession): Promise<'created' | 'exists' | 'missing'> {
      const reply = await commands.sessionwareReplace(key(oldId), key(newId), String(Date.now()), ...encodeRecord(session));
      return answer(reply, ['created', 'exists', 'missing'] as const);
    },

    async destroy(id: string): Promise<void> {
      await client.unlink(key(id));
    },
  };
}
