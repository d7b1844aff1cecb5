/**
 * Our Koa adapter: `@sessionware/koa` on `@sessionware/redis` (BENCH_STORE=redis) or on the
 * embedded MemoryStore (BENCH_STORE=memory), the same routes and the same session use as
 * the Express target (`sessionware-express.ts`).
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { session } from '@sessionware/koa';
import { connectIoredis, requiredEnv, serve, usernameOf, usersTable } from './child.js';
import { benchStore } from './store.js';

const { store, close } = await benchStore(connectIoredis);
const users = usersTable();

const app = new Koa();
app.silent = true;
app.on('error', (error: unknown) => console.error('request failed:', error));
app.use(session({ store, secrets: requiredEnv('BENCH_SECRET'), loadUser: (id) => users.get(id) }));

const router = new Router();
router.post('/login', bodyParser(), async (ctx) => {
  const username = usernameOf(ctx.request.body);
  if (username === null) {
    ctx.status = 400;
    ctx.body = { error: 'invalid_username' };
    return;
  }
  const user = await ctx.session.login(users.findOrCreate(username).id);
  ctx.body = { user };
});
router.get('/whoami', (ctx) => {
  const user = ctx.session.user;
  if (user === undefined) {
    ctx.status = 401;
    ctx.body = { error: 'not_logged_in' };
  } else {
    ctx.body = { user };
  }
});
router.post('/counter', (ctx) => {
  const previous = ctx.session['counter'];
  const counter = (typeof previous === 'number' ? previous : 0) + 1;
  ctx.session['counter'] = counter;
  ctx.body = { counter };
});
app.use(router.routes());

await serve(app.callback(), close);
