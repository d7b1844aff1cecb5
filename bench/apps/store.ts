import type { Redis } from 'ioredis';
import { MemoryStore, type Store } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { requiredEnv } from './child.js';

/** The store our targets use, chosen by BENCH_STORE (`redis` or `memory`), and how to close it. */
export async function benchStore(connect: () => Promise<Redis>): Promise<{ store: Store; close(): Promise<unknown> }> {
  const kind = requiredEnv('BENCH_STORE');
  if (kind === 'memory') {
    const store = new MemoryStore();
    return { store, close: async () => store.close() };
  }
  if (kind !== 'redis') throw new Error(`BENCH_STORE is invalid: expected redis or memory, got ${kind}`);
  const client = await connect();
  return { store: redisStore(client), close: () => client.quit() };
}
