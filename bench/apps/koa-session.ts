/**
 * koa-session 7 with a Redis external store (`koa-session-store.ts`: ioredis GET/SET/DEL),
 * with its defaults: signed cookies (`koa.sess` and `koa.sess.sig`, keygrip over `app.keys`),
 * `maxAge` one day, `rolling: false`. A read-only request is one GET and never moves the
 * expiry; a write is a GET and a SET. Login assigns the user to a new, anonymous session
 * (koa-session documents no regenerate call), which is one SET.
 */
import type Koa from 'koa';
import createSession from 'koa-session';
import { connectIoredis, counterOf, requiredEnv, serveKoa, type BenchUser } from './child.js';
import { koaSessionRedisStore } from './koa-session-store.js';

/** koa-session's session object, typed for what this app keeps in it. */
type KoaSession = { user?: BenchUser; counter?: number };
const sessionOf = (ctx: Koa.Context): KoaSession => (ctx as unknown as { session: KoaSession }).session;

const redis = await connectIoredis();
await serveKoa({
  login: (ctx, user) => (sessionOf(ctx).user = user),
  user: (ctx) => sessionOf(ctx).user,
  counter: (ctx) => counterOf(sessionOf(ctx)),
}, (app) => {
  app.keys = [requiredEnv('BENCH_SECRET')];
  return createSession({ store: koaSessionRedisStore(redis) }, app);
}, () => redis.quit());
