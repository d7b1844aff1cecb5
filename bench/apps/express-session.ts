/**
 * express-session + connect-redis (on node-redis, the client connect-redis 9 is written for),
 * configured as their READMEs recommend: `resave: false`, `saveUninitialized: false`, login
 * through `req.session.regenerate()` then `req.session.save()`. A read-only request is a GET
 * and, since the session was not modified, a touch (EXPIRE).
 */
import type { Request } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { counterOf, countRedisCommand, requiredEnv, serveExpress, type BenchUser } from './child.js';

const client = createClient({ url: requiredEnv('BENCH_REDIS_URL') });
client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
await client.connect();
// connect-redis calls exactly these four client methods on the paths benchmarked; each is one command.
for (const name of ['get', 'set', 'expire', 'del'] as const) {
  const method = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
  Object.defineProperty(client, name, { value: (...args: unknown[]) => (countRedisCommand(), method(...args)) });
}

// @types/express-session and @sessionware/express both declare Express's `req.session`; in this
// repository's single TypeScript program it has sessionware's type, so this app reads it through a cast.
type ExpressSession = session.Session & { user?: BenchUser; counter?: number };
const sessionOf = (req: Request): ExpressSession => (req as unknown as { session: ExpressSession }).session;
/** `regenerate` or `save` of the request's session, as a promise. */
const call = (req: Request, method: 'regenerate' | 'save'): Promise<void> =>
  new Promise((resolve, reject) => sessionOf(req)[method]((error?: unknown) => (error ? reject(error as Error) : resolve())));

await serveExpress({
  async login([req], user) {
    await call(req, 'regenerate');
    sessionOf(req).user = user;
    await call(req, 'save');
    return user;
  },
  user: ([req]) => sessionOf(req).user,
  counter: ([req]) => counterOf(sessionOf(req)),
}, [session({ store: new RedisStore({ client }), secret: requiredEnv('BENCH_SECRET'), resave: false, saveUninitialized: false })], () => client.quit());
