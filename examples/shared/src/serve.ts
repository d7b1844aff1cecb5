import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import { redisStore } from '@sessionware/redis';
import { inEnvTerms, readConfig, type ExampleConfig } from './config.js';
import { connectRedis, redisUsersTable, whenReady } from './redis.js';
import { memoryUsersTable, type UsersTable } from './users.js';

/** What an example app is built from: its configuration, with the store and users table chosen. */
export interface ExampleDeps {
  config: ExampleConfig;
  users: UsersTable;
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/** The store named in the startup line. */
const STORE_LABEL = { standalone: 'Redis', cluster: 'Redis Cluster', sentinel: 'Redis Sentinel' } as const;

/**
 * Chooses the session store and the users table (SPEC §E, S2): with `REDIS_URL`,
 * `REDIS_CLUSTER_NODES` or `REDIS_SENTINELS`, the Redis store and a users table in Redis
 * under its own prefix on one client, so several instances share both; without any, the
 * embedded MemoryStore and a users table in process memory.
 */
export async function createExampleDeps(config: ExampleConfig): Promise<ExampleDeps> {
  if (config.redis === undefined) {
    return { config, users: memoryUsersTable(), close: async () => undefined };
  }
  const client = connectRedis(config.redis);
  await whenReady(client);
  // The users table is bounded like the session store: a numeric storeTimeout, else its 2 s default.
  const storeTimeout = config.session.storeTimeout;
  return {
    config: { ...config, session: { ...config.session, store: redisStore(client) } },
    users: redisUsersTable(client, typeof storeTimeout === 'number' ? { timeoutMs: storeTimeout } : {}),
    close: async () => {
      client.disconnect();
    },
  };
}

/**
 * Starts an example app per SPEC §E: reads the environment, builds the app, listens on PORT
 * (loopback) and prints one line with its URL. A bad configuration prints one line naming the
 * environment variable and exits 1.
 */
export function runExample(framework: string, build: (deps: ExampleDeps) => RequestListener): void {
  const start = async (): Promise<void> => {
    const deps = await createExampleDeps(readConfig());
    let listener: RequestListener;
    try {
      listener = build(deps);
    } catch (error) {
      await deps.close();
      throw inEnvTerms(error);
    }
    const server = createServer(listener);
    server.listen(deps.config.port, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : deps.config.port;
    const store = deps.config.redis === undefined ? 'MemoryStore' : STORE_LABEL[deps.config.redis.mode];
    console.log(`sessionware ${framework} example listening on http://localhost:${port}/ (${store})`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        server.close();
        server.closeAllConnections();
        void deps.close();
      });
    }
  };
  start().catch((error: unknown) => {
    console.error(`sessionware ${framework} example could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
