import type { Redis } from 'ioredis';

/**
 * A minimal external store for koa-session on ioredis: one GET to read, one SET with PX to
 * write, one DEL to destroy, as koa-session's README describes the `store` option. Written
 * here instead of using koa-redis, whose last release (4.0.1) pins ioredis 4; this keeps the
 * comparison about koa-session itself and gives it the cheapest store it can have.
 */
export function koaSessionRedisStore(client: Redis, prefix = 'koa:sess:') {
  return {
    async get(key: string): Promise<unknown> {
      const text = await client.get(prefix + key);
      return text === null ? undefined : JSON.parse(text);
    },
    async set(key: string, session: unknown, maxAge: number | 'session'): Promise<void> {
      const ttl = typeof maxAge === 'number' ? maxAge : 24 * 60 * 60 * 1000;
      await client.set(prefix + key, JSON.stringify(session), 'PX', ttl);
    },
    async destroy(key: string): Promise<void> {
      await client.del(prefix + key);
    },
  };
}
