import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import { cookieNames } from '@sessionware/core';
import { logoutRouter, session, SessionError, type SessionOptions } from '@sessionware/koa';
import { DATA_PREFIX, isDataKey, parseUsername, renderPage, type User, type UsersTable } from '@sessionware/example-shared';

declare module '@sessionware/core' {
  interface SessionData {
    userId: string;
    user: User;
    counter: number;
  }
}

/** What the example app is built from. */
export interface KoaExampleOptions {
  session: SessionOptions;
  users: UsersTable;
}

function notLoggedIn(ctx: Context): void {
  ctx.status = 401;
  ctx.body = { error: 'not_logged_in' };
}

function badData(ctx: Context): void {
  ctx.status = 400;
  ctx.body = { error: 'invalid_data' };
}

/** The Koa example app: the HTTP contract of SPEC §E, identical to the Express example's. */
export function createApp({ session: sessionOptions, users }: KoaExampleOptions): Koa {
  const app = new Koa();
  app.silent = true;
  // Errors answer JSON like the Express example: a SessionError with its status and code.
  app.use(async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: 'not_found' };
      }
    } catch (error) {
      const status = error instanceof SessionError ? error.status : 500;
      if (status >= 500) console.error('request failed:', error instanceof Error ? error.message : error);
      ctx.status = status;
      ctx.body = { error: error instanceof SessionError ? error.code : 'internal_error' };
    }
  });
  app.use(bodyParser({ enableTypes: ['json', 'form'], jsonLimit: '16kb', formLimit: '16kb' }));
  app.use(session(sessionOptions));
  app.use(logoutRouter({ prefix: '/auth' }).routes());

  const { indicator } = cookieNames(sessionOptions.cookie);
  const router = new Router();

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = renderPage({ framework: 'Koa', indicatorCookie: indicator });
  });

  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });

  router.post('/login', async (ctx) => {
    const username = parseUsername(ctx.request.body);
    if (username === null) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_username' };
      return;
    }
    const user = await users.findOrCreate(username);
    ctx.session.regenerate();
    ctx.session.userId = user.id;
    ctx.session.user = user;
    ctx.body = { user };
  });

  router.get('/whoami', (ctx) => {
    const user = ctx.session.user;
    if (user === undefined) return notLoggedIn(ctx);
    ctx.body = { user };
  });

  router.post('/verify-email', async (ctx) => {
    const user = ctx.session.user;
    if (user === undefined) return notLoggedIn(ctx);
    const updated = await users.confirmEmail(user.id);
    if (updated === null) return notLoggedIn(ctx);
    // The change hook. Until userChanged() lands (issue 5) it refreshes this session only.
    ctx.session.user = updated;
    ctx.body = { ok: true };
  });

  router.post('/counter', (ctx) => {
    const counter = (ctx.session.counter ?? 0) + 1;
    ctx.session.counter = counter;
    ctx.body = { counter };
  });

  router.put('/data/:key', (ctx) => {
    const key = ctx.params['key'] ?? '';
    const value: unknown = (ctx.request.body as { value?: unknown } | undefined)?.value;
    if (!isDataKey(key) || value === undefined) return badData(ctx);
    ctx.session[DATA_PREFIX + key] = value;
    ctx.body = { ok: true };
  });

  router.delete('/data/:key', (ctx) => {
    const key = ctx.params['key'] ?? '';
    if (!isDataKey(key)) return badData(ctx);
    delete ctx.session[DATA_PREFIX + key];
    ctx.body = { ok: true };
  });

  router.get('/data', (ctx) => {
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(ctx.session)) {
      if (key.startsWith(DATA_PREFIX)) data[key.slice(DATA_PREFIX.length)] = value;
    }
    ctx.body = { data };
  });

  const later = (ctx: Context) => {
    ctx.status = 501;
    ctx.body = { error: 'not_implemented' };
  };
  router.get('/sessions', later);
  router.post('/sessions/:handle/revoke', later);
  router.post('/auth/logout-all', later);

  app.use(router.routes());
  return app;
}
