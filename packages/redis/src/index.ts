/**
 * @sessionware/redis — the Redis session store for sessionware, on `ioredis`.
 * @packageDocumentation
 */
export { redisStore } from './redis-store.js';
export type { RedisStoreOptions } from './internal/options.js';
