import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import { cookieNames } from '@sessionware/core';
import { session, type SessionOptions } from '@sessionware/koa';
import {
  bodyObject, checkCharset, checkPath, DATA_PREFIX, DEFAULT_FRESH_AGE_MS, idleWarningMs, isDataKey, parseUsername, renderPage, reportError,
  wantsRemember, type ExampleLog, type UsersTable,
} from '@sessionware/example-shared';

/** What the example app is built from. */
export interface KoaExampleOptions {
  session: SessionOptions;
  users: UsersTable;
  /** Where answered errors are logged. @default console */
  log?: ExampleLog;
  /** How recent an authentication `GET /sensitive` needs, in milliseconds (SESSION_FRESH_AGE, SPEC P3). @default 300000 */
  freshAgeMs?: number;
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
export function createApp({ session: sessionOptions, users, log = console, freshAgeMs = DEFAULT_FRESH_AGE_MS }: KoaExampleOptions): Koa {
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
      const { status, code } = reportError(error, log);
      ctx.status = status;
      ctx.body = { error: code };
    }
  });
  // Client mistakes the parsers would not catch alike on both apps: 400 and 415 (SPEC §E).
  app.use((ctx, next) => {
    checkPath(ctx.path);
    return next();
  });
  // loadUser reads the users table: at login, and again whenever userChanged() was called (SPEC U1, U2).
  const sessions = session({ ...sessionOptions, loadUser: (id) => users.get(id) });
  // session() before the body parser, so that its logout router still logs out when the body is malformed (SPEC L2).
  app.use(sessions);
  app.use((ctx, next) => {
    checkCharset(ctx.get('content-type'));
    return next();
  });
  app.use(bodyParser({ enableTypes: ['json', 'form'], jsonLimit: '16kb', formLimit: '16kb' }));
  app.use(sessions.logoutRouter({ prefix: '/auth' }).routes());

  const { indicator } = cookieNames(sessionOptions.cookie);
  const router = new Router();

  const page = renderPage({ framework: 'Koa', indicatorCookie: indicator, idleWarningMs: idleWarningMs(sessionOptions.idleTimeout) });

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = page;
  });

  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });

  router.post('/login', async (ctx) => {
    const body = bodyObject(ctx.is('json', 'urlencoded'), ctx.request.body, ctx.get('content-length'));
    const username = parseUsername(body);
    if (username === null) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_username' };
      return;
    }
    const { id } = await users.findOrCreate(username);
    // remember: persistent cookies for this session, whatever SESSION_COOKIE_EXPIRY says (SPEC P1);
    // otherwise no choice, so the cookies are as configured (`remember: false` would force browser-session).
    const user = await ctx.session.login(id, wantsRemember(body) ? { remember: true } : {});
    ctx.body = { user };
  });

  router.post('/reauthenticate', (ctx) => {
    if (ctx.session.user === undefined) return notLoggedIn(ctx);
    // The examples have no passwords: a real app checks the credentials again first (SPEC P3).
    ctx.session.reauthenticated();
    ctx.body = { ok: true };
  });

  router.get('/sensitive', (ctx) => {
    if (ctx.session.user === undefined) return notLoggedIn(ctx);
    // Throws SessionFreshnessError, answered 401 reauthentication_required by the error middleware.
    ctx.session.requireFresh(freshAgeMs);
    ctx.body = { ok: true };
  });

  router.get('/whoami', (ctx) => {
    const user = ctx.session.user;
    if (user === undefined) return notLoggedIn(ctx);
    ctx.body = { user };
  });

  router.post('/verify-email', async (ctx) => {
    const user = ctx.session.user;
    if (user === undefined) return notLoggedIn(ctx);
    if ((await users.confirmEmail(user.id)) === null) return notLoggedIn(ctx);
    // Every session of this user, on every instance, reloads it before its next handler (SPEC U2).
    await sessions.users.userChanged(user.id);
    ctx.body = { ok: true };
  });

  router.post('/counter', (ctx) => {
    const counter = (ctx.session.counter ?? 0) + 1;
    ctx.session.counter = counter;
    ctx.body = { counter };
  });

  router.put('/data/:key', (ctx) => {
    const key = ctx.params['key'] ?? '';
    const value = bodyObject(ctx.is('json', 'urlencoded'), ctx.request.body, ctx.get('content-length'))['value'];
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

  router.get('/sessions', async (ctx) => {
    if (ctx.session.user === undefined) return notLoggedIn(ctx);
    ctx.body = { sessions: await ctx.session.listSessions() };
  });

  router.post('/sessions/:handle/revoke', async (ctx) => {
    if (ctx.session.user === undefined) return notLoggedIn(ctx);
    ctx.body = { revoked: await ctx.session.revokeSession(ctx.params['handle'] ?? '') };
  });

  app.use(router.routes());
  return app;
}
