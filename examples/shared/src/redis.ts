import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import type { RedisConnection } from './redis-config.js';
import type { User, UsersTable } from './users.js';

/** A client of any of the three Redis modes (SPEC S2): standalone and Sentinel are a `Redis`, Cluster a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** Reconnects at most a second apart, so the app recovers within about a second (SPEC F2). */
const retryStrategy = (attempt: number) => Math.min(attempt * 100, 1_000);

/** Logs the client's connection errors once per outage. */
function logOutages(client: RedisClient): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) console.error(`redis: ${error.message}`);
    down = true;
  });
  client.on('ready', () => {
    down = false;
  });
}

/**
 * A client configured as `@sessionware/redis`'s README recommends: while the connection is
 * down a call fails at once instead of queueing (`enableOfflineQueue: false`), calls in
 * flight when it drops are not replayed (`maxRetriesPerRequest: 0`), and reconnection keeps
 * trying at most a second apart. Connection errors are logged once per outage. Given a URL,
 * a standalone client; given a {@link RedisConnection}, a standalone, Sentinel (every call
 * goes to the current primary) or Cluster client.
 */
export function connectRedis(url: string): Redis;
export function connectRedis(connection: RedisConnection): RedisClient;
export function connectRedis(target: string | RedisConnection): RedisClient {
  const connection: RedisConnection = typeof target === 'string' ? { mode: 'standalone', url: target } : target;
  let client: RedisClient;
  if (connection.mode === 'cluster') {
    client = new Cluster(connection.nodes, {
      enableOfflineQueue: false,
      redisOptions: { maxRetriesPerRequest: 0 },
      clusterRetryStrategy: retryStrategy,
    });
  } else if (connection.mode === 'sentinel') {
    client = new Redis({
      sentinels: connection.sentinels,
      name: connection.name,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy,
      sentinelRetryStrategy: retryStrategy,
    });
  } else {
    client = new Redis(connection.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy });
  }
  logOutages(client);
  return client;
}

/**
 * Waits until the client is connected: with `enableOfflineQueue: false` a command sent
 * before that fails at once. Gives up after `timeoutMs` with a warning; the app then starts
 * anyway, answers 503 while Redis is away and recovers when it comes (SPEC F2).
 */
export async function whenReady(client: RedisClient, timeoutMs = 5_000): Promise<void> {
  if (client.status === 'ready') return;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await once(client, 'ready', { signal: timeout });
  } catch {
    console.error(`redis: not connected after ${timeoutMs} ms; starting anyway`);
  }
}

/**
 * The users table did not answer within its bound, or Redis failed: the apps answer 503
 * `{"error": "ERR_USERS_TABLE"}`, as for a session store failure (SPEC F1), never a hung
 * request or a 500.
 */
export class UsersTableError extends Error {
  readonly code = 'ERR_USERS_TABLE';
  readonly status = 503;
  /** Koa reads `expose`: the message stays on the server. */
  readonly expose = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(`users table: ${message}`, options);
    this.name = 'UsersTableError';
  }
}

/** Runs one users-table operation bounded by `timeoutMs`; a late answer of an abandoned call is dropped. */
function bounded<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new UsersTableError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    call().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (cause: unknown) => {
        clearTimeout(timer);
        reject(cause instanceof UsersTableError ? cause : new UsersTableError('Redis failed', { cause }));
      },
    );
  });
}

/** Options of {@link redisUsersTable}. */
export interface RedisUsersTableOptions {
  /** Key prefix of the table, apart from the session store's. @default 'example:' */
  prefix?: string;
  /** Bound on each operation, in milliseconds (the session store's bound is the natural choice). @default 2000 */
  timeoutMs?: number;
}

/**
 * The users table in Redis, under its own key prefix (not the session store's), so several
 * example instances share one table (SPEC §E): a hash per user and a username → id index.
 * Every command touches one key, so it runs unchanged on a Cluster (the user hash and the
 * index entry may live in different slots) and through Sentinel. Each operation is bounded
 * in time and fails with {@link UsersTableError}.
 */
export function redisUsersTable(client: RedisClient, options: RedisUsersTableOptions = {}): UsersTable {
  const prefix = options.prefix ?? 'example:';
  const timeoutMs = options.timeoutMs ?? 2_000;
  const userKey = (id: string) => `${prefix}user:${id}`;
  const nameKey = (username: string) => `${prefix}username:${username}`;
  const read = async (id: string): Promise<User | null> => {
    const fields = await client.hgetall(userKey(id));
    if (fields['id'] === undefined || fields['username'] === undefined) return null;
    return { id: fields['id'], username: fields['username'], emailConfirmed: fields['emailConfirmed'] === '1' };
  };
  return {
    findOrCreate: (username) => bounded(timeoutMs, async () => {
      const candidate = randomUUID();
      // The user hash is written before the index points at it, so a reader never sees a dangling id.
      await client.hset(userKey(candidate), { id: candidate, username, emailConfirmed: '0' });
      const claimed = await client.set(nameKey(username), candidate, 'NX');
      if (claimed === 'OK') return { id: candidate, username, emailConfirmed: false };
      await client.unlink(userKey(candidate));
      const id = await client.get(nameKey(username));
      const user = id === null ? null : await read(id);
      if (user === null) throw new UsersTableError('username index points at a missing user');
      return user;
    }),
    get: (id) => bounded(timeoutMs, () => read(id)),
    confirmEmail: (id) => bounded(timeoutMs, async () => {
      // Users are never deleted in the examples, so check-then-set cannot race a removal.
      if ((await client.exists(userKey(id))) === 0) return null;
      await client.hset(userKey(id), 'emailConfirmed', '1');
      return read(id);
    }),
  };
}
