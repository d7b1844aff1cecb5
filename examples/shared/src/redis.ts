import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { User, UsersTable } from './users.js';

/**
 * A client configured as `@sessionware/redis`'s README recommends: while the connection is
 * down a call fails at once instead of queueing (`enableOfflineQueue: false`), calls in
 * flight when it drops are not replayed (`maxRetriesPerRequest: 0`), and reconnection keeps
 * trying at most a second apart. Connection errors are logged once per outage.
 */
export function connectRedis(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) console.error(`redis: ${error.message}`);
    down = true;
  });
  client.on('ready', () => {
    down = false;
  });
  return client;
}

/**
 * Waits until the client is connected: with `enableOfflineQueue: false` a command sent
 * before that fails at once. Gives up after `timeoutMs` with a warning; the app then starts
 * anyway, answers 503 while Redis is away and recovers when it comes (SPEC F2).
 */
export async function whenReady(client: Redis, timeoutMs = 5_000): Promise<void> {
  if (client.status === 'ready') return;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await once(client, 'ready', { signal: timeout });
  } catch {
    console.error(`redis: not connected after ${timeoutMs} ms; starting anyway`);
  }
}

/**
 * The users table in Redis, under its own key prefix (not the session store's), so several
 * example instances share one table (SPEC §E): a hash per user and a username → id index.
 */
export function redisUsersTable(client: Redis, prefix = 'example:'): UsersTable {
  const userKey = (id: string) => `${prefix}user:${id}`;
  const nameKey = (username: string) => `${prefix}username:${username}`;
  const read = async (id: string): Promise<User | null> => {
    const fields = await client.hgetall(userKey(id));
    if (fields['id'] === undefined || fields['username'] === undefined) return null;
    return { id: fields['id'], username: fields['username'], emailConfirmed: fields['emailConfirmed'] === '1' };
  };
  return {
    async findOrCreate(username) {
      const candidate = randomUUID();
      // The user hash is written before the index points at it, so a reader never sees a dangling id.
      await client.hset(userKey(candidate), { id: candidate, username, emailConfirmed: '0' });
      const claimed = await client.set(nameKey(username), candidate, 'NX');
      if (claimed === 'OK') return { id: candidate, username, emailConfirmed: false };
      await client.unlink(userKey(candidate));
      const id = await client.get(nameKey(username));
      const user = id === null ? null : await read(id);
      if (user === null) throw new Error('users table: username index points at a missing user');
      return user;
    },
    get: read,
    async confirmEmail(id) {
      // Users are never deleted in the examples, so check-then-set cannot race a removal.
      if ((await client.exists(userKey(id))) === 0) return null;
      await client.hset(userKey(id), 'emailConfirmed', '1');
      return read(id);
    },
  };
}
