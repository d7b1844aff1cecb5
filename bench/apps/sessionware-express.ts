/**
 * Our Express adapter: `@sessionware/express` on `@sessionware/redis` (BENCH_STORE=redis) or
 * on the embedded MemoryStore (BENCH_STORE=memory), with defaults except the secret. Login
 * is `session.login(userId)` (new id, the user's attributes loaded through `loadUser` and
 * cached in the session); `GET /whoami` reads that cached copy. Every request also does what
 * the floor does not: verify the signed cookie, slide the idle deadline within the absolute
 * one, and check whether the user changed since the copy was cached.
 */
import { session } from '@sessionware/express';
import { connectIoredis, counterOf, requiredEnv, serveExpress, users } from './child.js';
import { benchStore } from './store.js';

const { store, close } = await benchStore(connectIoredis);
await serveExpress({
  login: ([req], user) => req.session.login(user.id),
  user: ([req]) => req.session.user,
  counter: ([req]) => counterOf(req.session),
}, [session({ store, secrets: requiredEnv('BENCH_SECRET'), loadUser: (id) => users.get(id) })], close);
