import { once } from 'node:events';
import { createServer } from 'node:http';
import { format } from 'node:util';
import { connectRedis, readConfig, redisUsersTable } from '@sessionware/example-shared';
import { createApp as createExpressApp } from '@sessionware/example-express';
import { createApp as createKoaApp } from '@sessionware/example-koa';
import { redisStore } from '@sessionware/redis';
import type { Redis } from 'ioredis';
import { EXAMPLE_SECRETS } from '../../examples/targets.js';
import { listen } from '@sessionware/test-support';

/** An example app running in this process on a real Redis, with what it logged. */
export interface ExampleOnRedis {
  url: string;
  /** The app's ioredis client (the session store's and the users table's), for its `ready` events. */
  client: Redis;
  /** Every line the app logged: console.error (its error path, the Redis client) and the session logger. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Builds an example app as its server.ts does with `REDIS_URL` set (the Redis store and the
 * users table in Redis on one client configured as the Redis README recommends), with a
 * short store bound given through the app's session options (`storeTimeout`), which also
 * bounds the users table. console.error is captured while the app runs.
 */
export async function startExampleOnRedis(framework: 'express' | 'koa', redisUrl: string, storeTimeoutMs: number): Promise<ExampleOnRedis> {
  const logs: string[] = [];
  const consoleError = console.error;
  console.error = (...parts: unknown[]) => {
    logs.push(format(...parts));
  };
  const client = connectRedis(redisUrl);
  if (client.status !== 'ready') await once(client, 'ready');
  const config = readConfig({ SESSION_SECRETS: EXAMPLE_SECRETS, REDIS_URL: redisUrl });
  const log = (...parts: unknown[]) => {
    logs.push(format(...parts));
  };
  const session = { ...config.session, store: redisStore(client), storeTimeout: storeTimeoutMs, logger: { warn: log, error: log } };
  const users = redisUsersTable(client, { timeoutMs: storeTimeoutMs });
  const listener = framework === 'express' ? createExpressApp({ session, users }) : createKoaApp({ session, users }).callback();
  const running = await listen(createServer(listener));
  return {
    url: running.url,
    client,
    logs,
    async close() {
      await running.close();
      client.disconnect();
      console.error = consoleError;
    },
  };
}
