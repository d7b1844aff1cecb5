import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { startRedisServer, type RedisServer } from './redis-server.js';

/**
 * The client options the README recommends for production, used by every test: while the
 * connection is down a store call fails at once instead of waiting in a queue
 * (`enableOfflineQueue: false`); calls in flight when it drops fail at once and are never
 * replayed after the engine gave up on them (`maxRetriesPerRequest: 0`); reconnection keeps
 * trying, at most a second apart.
 */
export const RECOMMENDED_CLIENT_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
} satisfies RedisOptions;

/** A connected client and the `error` events it emitted (kept, so none crashes the process). */
export interface TestClient {
  readonly client: Redis;
  readonly errors: Error[];
}

/** Every client {@link connectClient} made that was not disconnected yet, so none keeps the test run alive. */
const openClients = new Set<Redis>();

/** Disconnects every client {@link connectClient} made and did not see end. */
export function disconnectAllClients(): void {
  for (const client of openClients) client.disconnect();
  openClients.clear();
}

/** Connects a client with the recommended options and resolves once it is ready. */
export async function connectClient(url: string, options: Omit<RedisOptions, 'replyMapping'> = {}): Promise<TestClient> {
  const client = new Redis(url, { ...RECOMMENDED_CLIENT_OPTIONS, ...options });
  openClients.add(client);
  client.once('end', () => openClients.delete(client));
  const errors: Error[] = [];
  client.on('error', (error: Error) => errors.push(error));
  if (client.status !== 'ready') await once(client, 'ready');
  return { client, errors };
}

/** Calls per command since the last CONFIG RESETSTAT, from INFO commandstats (`failed` counts NOSCRIPT and other errors). */
export async function commandStats(admin: Redis): Promise<Record<string, { calls: number; failed: number }>> {
  const info = await admin.info('commandstats');
  const stats: Record<string, { calls: number; failed: number }> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),.*failed_calls=(\d+)/gm)) {
    const [, name = '', calls = '0', failed = '0'] = match;
    // The measuring connection's own CONFIG RESETSTAT is not part of what is measured.
    if (name.startsWith('config')) continue;
    stats[name] = { calls: Number(calls), failed: Number(failed) };
  }
  return stats;
}

/**
 * Runs `action` between CONFIG RESETSTAT and INFO commandstats on `admin`, and returns how
 * many times each command ran meanwhile. Redis counts the commands a script runs as well as
 * the EVALSHA that ran the script, so a store call shows as its one EVALSHA plus the script's
 * inner commands.
 */
export async function countCommands(admin: Redis, action: () => Promise<unknown>): Promise<Record<string, number>> {
  await admin.config('RESETSTAT');
  await action();
  const stats = await commandStats(admin);
  return Object.fromEntries(Object.entries(stats).map(([name, { calls }]) => [name, calls]));
}


/** What {@link useRedis} gives a suite: its server, a client for the store, one for measuring. */
export interface RedisFixture {
  readonly server: RedisServer;
  /** The store's client, with the recommended options. */
  readonly client: Redis;
  /** `error` events of {@link client}. */
  readonly errors: Error[];
  /** A second connection, for inspecting keys and counting commands. */
  readonly admin: Redis;
}

/**
 * Mocha helper: starts a redis-server and connects two clients in the calling suite's
 * `before` hook; disconnects every client of {@link connectClient} and stops the server (by
 * its PID) in its `after` hook.
 */
export function useRedis(): () => RedisFixture {
  let fixture: RedisFixture | undefined;
  before(async function () {
    this.timeout(30_000);
    const server = await startRedisServer();
    const store = await connectClient(server.url);
    const admin = await connectClient(server.url);
    fixture = { server, client: store.client, errors: store.errors, admin: admin.client };
  });
  after(async () => {
    // Also the clients a test made and could not close (it timed out, say).
    disconnectAllClients();
    await fixture?.server.stop();
    fixture = undefined;
  });
  return () => {
    if (fixture === undefined) throw new Error('the Redis fixture is only available inside its suite');
    return fixture;
  };
}
