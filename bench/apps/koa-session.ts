/**
 * koa-session 7 with a Redis external store (`koa-session-store.ts`: ioredis GET/SET/DEL),
 * with its defaults: signed cookies (`koa.sess` and `koa.sess.sig`, keygrip over `app.keys`),
 * `maxAge` one day, `rolling: false`. A read-only request is one GET and never moves the
 * expiry; a write is a GET and a SET. Login assigns the user to a new, anonymous session
 * (koa-session documents no regenerate call), which is one SET.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import createSession from 'koa-session';
import { connectIoredis, requiredEnv, serve, usernameOf, usersTable, type BenchUser } from './child.js';
import { koaSessionRedisStore } from './koa-session-store.js';

/** koa-session's session object, typed for what this app keeps in it. */
type KoaSession = { user?: BenchUser; counter?: number };

const redis = await connectIoredis();
const users = usersTable();

const app = new Koa();
app.silent = true;
app.keys = [requiredEnv('BENCH_SECRET')];
app.on('error', (error: unknown) => console.error('request failed:', error));
app.use(createSession({ store: koaSessionRedisStore(redis) }, app));

const sessionOf = (ctx: Koa.Context): KoaSession => (ctx as unknown as { session: KoaSession }).session;

const router = new Router();
router.post('/login', bodyParser(), (ctx) => {
  const username = usernameOf(ctx.request.body);
  if (username === null) {
    ctx.status = 400;
    ctx.body = { error: 'invalid_username' };
    return;
  }
  const user = users.findOrCreate(username);
  sessionOf(ctx).user = user;
  ctx.body = { user };
});
router.get('/whoami', (ctx) => {
  const user = sessionOf(ctx).user;
  if (user === undefined) {
    ctx.status = 401;
    ctx.body = { error: 'not_logged_in' };
  } else {
    ctx.body = { user };
  }
});
router.post('/counter', (ctx) => {
  const current = sessionOf(ctx);
  const counter = (current.counter ?? 0) + 1;
  current.counter = counter;
  ctx.body = { counter };
});
app.use(router.routes());

await serve(app.callback(), () => redis.quit());
