/**
 * Issue 16: the apps of the migration suites on one real redis-server: the old ones
 * (express-session + connect-redis 9 on node-redis; koa-session with an external store on
 * ioredis), configured as their READMEs show, and the new ones (sessionware on Express or Koa,
 * with the Redis store and `migrateFrom`).
 */
import { createServer } from 'node:http';
import { RedisStore } from 'connect-redis';
import express, { type ErrorRequestHandler, type Request } from 'express';
import expressSession from 'express-session';
import Koa from 'koa';
import koaSession from 'koa-session';
import type { Redis } from 'ioredis';
import { createClient } from 'redis';
import { session as expressSessionware, type SessionOptions, type UserSessions } from '@sessionware/express';
import { session as koaSessionware } from '@sessionware/koa';
import { listen } from '@sessionware/test-support';

export const OLD_SECRET = 'the-old-express-session-secret';
export const OLD_KOA_KEYS = ['the-old-koa-app-key'];
export const NEW_SECRET = 'migration-suite-secret-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e';
/** connect-redis's default key prefix. */
export const OLD_PREFIX = 'sess:';
export const KOA_PREFIX = 'koa:sess:';

/** A running app: its URL and how to stop it. */
export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

/** The users table of the new apps: `deleted` is a user that no longer exists. */
export function loadUser(userId: string): { id: string; username: string; emailConfirmed: boolean } | null {
  return userId === 'deleted' ? null : { id: userId, username: userId.toUpperCase(), emailConfirmed: true };
}

type OldSession = expressSession.Session & Record<string, unknown>;
// @types/express-session and @sessionware/express both declare `req.session`; here it has sessionware's type.
const oldSessionOf = (req: Request): OldSession => (req as unknown as { session: OldSession }).session;

/** A node-redis client for connect-redis, connected. */
export async function nodeRedis(url: string): Promise<ReturnType<typeof createClient>> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** The old app: express-session + connect-redis; `POST /login` logs in as passport would (`passport.user`) and keeps a cart. */
export async function startOldExpressApp(store: RedisStore): Promise<RunningApp> {
  const app = express();
  app.use(express.json());
  app.use(expressSession({ store, secret: OLD_SECRET, resave: false, saveUninitialized: false }));
  app.post('/login', (req, res, next) => {
    const old = oldSessionOf(req);
    old.regenerate((error) => {
      if (error !== undefined && error !== null) return next(error);
      const fresh = oldSessionOf(req);
      fresh['passport'] = { user: (req.body as { username: string }).username };
      fresh['cart'] = ['book', 'lamp'];
      fresh.save((saveError) => (saveError === undefined || saveError === null ? res.json({ ok: true }) : next(saveError)));
    });
  });
  return listen(createServer(app));
}

/** koa-session's external store as its README describes it, on ioredis (GET / SET PX / DEL). */
export function koaRedisStore(client: Redis) {
  return {
    async get(key: string): Promise<unknown> {
      const text = await client.get(KOA_PREFIX + key);
      return text === null ? undefined : JSON.parse(text);
    },
    async set(key: string, value: unknown, maxAge: number | 'session'): Promise<void> {
      await client.set(KOA_PREFIX + key, JSON.stringify(value), 'PX', typeof maxAge === 'number' ? maxAge : 86_400_000);
    },
    async destroy(key: string): Promise<void> {
      await client.del(KOA_PREFIX + key);
    },
  };
}

/** The old Koa app: koa-session with an external store; `POST /login` sets `userId` and a theme. */
export async function startOldKoaApp(client: Redis): Promise<RunningApp> {
  const app = new Koa();
  app.keys = [...OLD_KOA_KEYS];
  app.use(koaSession({ store: koaRedisStore(client) }, app));
  app.use(async (ctx) => {
    // koa-session's ctx.session: typed here as sessionware's, so written through a plain record.
    const old = ctx.session as unknown as Record<string, unknown> | null;
    if (ctx.method !== 'POST' || ctx.path !== '/login' || old === null) return;
    old['userId'] = ctx.get('x-username');
    old['theme'] = 'dark';
    ctx.body = { ok: true };
  });
  return listen(createServer(app.callback()));
}

/** A running new app, with the per-user operations on its store. */
export interface NewApp extends RunningApp {
  readonly users: UserSessions;
}

/** What `/whoami` of the new apps answers. */
export interface Whoami {
  userId?: string;
  user?: unknown;
  data: Record<string, unknown>;
}

const sendError: ErrorRequestHandler = (error: { status?: number; code?: string }, _req, res, _next) => {
  res.status(error.status ?? 500).json({ error: error.code ?? 'internal' });
};

/** The new Express app: sessionware with `options` (migrateFrom among them); `/whoami`, `/data`, `/auth/logout`. */
export async function startNewExpressApp(options: SessionOptions): Promise<NewApp> {
  const sessions = expressSessionware({ secrets: [NEW_SECRET], loadUser, ...options });
  const app = express();
  app.use(sessions);
  app.use(sessions.logoutRouter({ prefix: '/auth' }));
  app.get('/whoami', (req, res) => {
    const { userId, user } = req.session;
    const body: Whoami = { data: { ...req.session } };
    if (userId !== undefined) Object.assign(body, { userId, user });
    res.status(userId === undefined ? 401 : 200).json(body);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(sendError);
  return { ...(await listen(createServer(app))), users: sessions.users };
}

/** The new Koa app, with the same routes. */
export async function startNewKoaApp(options: SessionOptions): Promise<NewApp> {
  const sessions = koaSessionware({ secrets: [NEW_SECRET], loadUser, ...options });
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const { status, code } = error as { status?: number; code?: string };
      ctx.status = status ?? 500;
      ctx.body = { error: code ?? 'internal' };
    }
  });
  app.use(sessions);
  app.use(sessions.logoutRouter({ prefix: '/auth' }).routes());
  app.use(async (ctx, next) => {
    if (ctx.path !== '/whoami') return next();
    const { userId, user } = ctx.session;
    const body: Whoami = { data: { ...ctx.session } };
    if (userId !== undefined) Object.assign(body, { userId, user });
    ctx.status = userId === undefined ? 401 : 200;
    ctx.body = body;
  });
  return { ...(await listen(createServer(app.callback()))), users: sessions.users };
}

/**
 * The old express-session store as the reader sees it, in front of the real connect-redis
 * store: counts calls, and can hang `get`, fail `destroy`, or hold every `get` until `barrier`
 * of them arrived (so concurrent requests all read the old record before any moves it).
 */
export class OldStoreProbe {
  gets = 0;
  destroys = 0;
  hangGet = false;
  failDestroy = false;
  barrier = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly inner: RedisStore) {}

  get(sid: string, callback: (error: unknown, session?: unknown) => void): void {
    this.gets += 1;
    if (this.hangGet) return;
    this.#waiting.push(() => void this.inner.get(sid, callback));
    if (this.#waiting.length >= this.barrier) for (const run of this.#waiting.splice(0)) run();
  }

  destroy(sid: string, callback: (error?: unknown) => void): void {
    this.destroys += 1;
    if (this.failDestroy) callback(new Error('the old store is down'));
    else void this.inner.destroy(sid, callback);
  }
}

/** The express-session id inside a `connect.sid` cookie value as the browser keeps it (`s%3A<sid>.<sig>`). */
export function oldSessionId(cookieValue: string): string {
  const signed = decodeURIComponent(cookieValue).slice(2);
  return signed.slice(0, signed.lastIndexOf('.'));
}
