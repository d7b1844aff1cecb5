/**
 * Our Koa adapter: `@sessionware/koa` on `@sessionware/redis` (BENCH_STORE=redis) or on the
 * embedded MemoryStore (BENCH_STORE=memory), the same routes and the same session use as
 * the Express target (`sessionware-express.ts`).
 */
import { session } from '@sessionware/koa';
import { connectIoredis, counterOf, requiredEnv, serveKoa, users } from './child.js';
import { benchStore } from './store.js';

const { store, close } = await benchStore(connectIoredis);
await serveKoa({
  login: (ctx, user) => ctx.session.login(user.id),
  user: (ctx) => ctx.session.user,
  counter: (ctx) => counterOf(ctx.session),
}, () => session({ store, secrets: requiredEnv('BENCH_SECRET'), loadUser: (id) => users.get(id) }), close);
