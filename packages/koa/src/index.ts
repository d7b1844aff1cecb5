/**
 * @sessionware/koa — the Koa adapter. It only translates between Koa and `@sessionware/core`;
 * every session rule lives in core.
 * @packageDocumentation
 */
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { createRequire } from 'node:module';
import { answerLogout, answerPeek, createSessionEngine, PeekPaths, requestSessionOf, resolveLogoutOptions, resolveRouterOptions, routeKey, SessionConfigError } from '@sessionware/core';
import type { LogoutOptions, LogoutReply, RequestSession, ResolvedLogoutOptions, Session, SessionEngine, SessionOptions, UserSessions } from '@sessionware/core';
import { attachSession, checkSessionSlot, logoutRequestOf, logoutWithoutSession, openNodeSession } from '@sessionware/core/node';

export type { ExpressSessionReaderOptions, KoaSessionReaderOptions, LegacySessionReader, LogoutOptions, Session, SessionCallback, SessionData, SessionInfo, SessionOptions, SessionUser, UserSessions } from '@sessionware/core';
export { fromExpressSession, fromKoaSession, MemoryStore, SessionConfigError, SessionConflictError, SessionDataError, SessionError, SessionFreshnessError, SessionHookError, SessionLimitError, SessionStoreError, userSessions } from '@sessionware/core';

declare module 'koa' {
  interface ExtendableContext {
    /** The session of this request, set by `session()`. Assign `null` to destroy it (SPEC R5). */
    get session(): Session;
    set session(value: Session | null);
  }
}

/** The middleware `session()` returns, with the per-user operations on its store and its own logout router. */
export type SessionMiddleware = Middleware & {
  /** `userChanged(userId)`, list and revoke a user's sessions, from anywhere (SPEC U2, U4). */
  readonly users: UserSessions;
  /**
   * The logout router of this middleware (`app.use(sessions.logoutRouter({ prefix: '/auth' }).routes())`).
   * It opens the session itself when mounted before the middleware, and its routes still log
   * out when a middleware after `session()` fails on the request (SPEC L2, L6).
   */
  logoutRouter(options?: LogoutRouterOptions): Router;
};

/** One logout route of a router made by the middleware: answered by the middleware when a later middleware fails (SPEC L2). */
interface LogoutRoute {
  /** Its full path, as `routeKey()` matches it. */
  key: string;
  kind: 'session' | 'user';
  options: ResolvedLogoutOptions;
}

type Open = (ctx: Context, peek?: boolean) => Promise<RequestSession>;

/**
 * Session middleware: `app.use(session(options))`. Sets `ctx.session`; after the downstream
 * middleware finishes, stores changes and sets the cookies before Koa writes the response.
 * A store failure surfaces through Koa's error path with status 503. Throws
 * `SessionConfigError` at startup on bad options.
 */
export function session(options?: SessionOptions): SessionMiddleware {
  const engine = createSessionEngine(options);
  const routes: LogoutRoute[] = [];
  // `ctx` answers `secure` by Koa's own `app.proxy` setting (SPEC C4).
  const open: Open = (ctx, peek = false) =>
    openNodeSession(engine, ctx.req, ctx.res, ctx, (error) => ctx.onerror(error as Error), 'after-middleware', peek);
  // The full paths of the peeks of this middleware's routers: opened without sliding (SPEC P5).
  const peekPaths = new PeekPaths();
  const middleware: Middleware = async function sessionware(ctx, next) {
    checkSessionSlot(ctx, 'ctx.session');
    const requestSession = await open(ctx, peekPaths.matches(ctx.method, ctx.path));
    attachSession(ctx, requestSession);
    try {
      await next();
    } catch (error) {
      const key = routes.length > 0 && ctx.method === 'POST' ? routeKey(ctx.path) : undefined;
      const route = key === undefined ? undefined : routes.find((entry) => entry.key === key);
      if (route === undefined) throw error;
      // A logout needs no body: a middleware that failed before the route still logs the user out (SPEC L2).
      engine.options.logger.error('sessionware: logging out although an earlier middleware failed on the request', error);
      reply(ctx, await answerLogout(requestSession, logoutRequestOf(ctx.req), route.options, route.kind));
    }
    try {
      if (!requestSession.commitSync()) await requestSession.commit();
    } catch (error) {
      // Answered already when a held raw response started the commit and went to ctx.onerror.
      if (!ctx.res.writableEnded) throw error;
    }
  };
  return Object.assign(middleware, {
    users: engine.users,
    logoutRouter(routerOptions: LogoutRouterOptions = {}) {
      const { router, routes: routed, peekPath } = createLogoutRouter(routerOptions, engine, open);
      routes.push(...routed);
      if (peekPath !== undefined) peekPaths.add(peekPath);
      return router;
    },
  });
}

function reply(ctx: Context, answer: LogoutReply): void {
  ctx.set(answer.headers);
  ctx.body = answer.body;
  ctx.status = answer.status;
}

/** Options of {@link logout}. */
export interface LogoutHandlerOptions extends LogoutOptions {
  /** Log out every session of the user, not only this one (SPEC L4). @default false */
  all?: boolean;
}

/**
 * The logout handler as plain Koa middleware, whatever path it is mounted on: `POST` logs
 * out (always 2xx, or 303 for HTML forms) and clears both cookies, also when no session is
 * found (SPEC L6); other methods get 405. Mount it after `session()`, or use the middleware's
 * own `sessions.logoutRouter()`.
 */
export function logout(options: LogoutHandlerOptions = {}): Middleware {
  return createLogout(options, undefined, undefined);
}

/** The peek route of a router made by the middleware (SPEC P5): opened without sliding, even when mounted before it. */
function createPeek(open: Open): Middleware {
  return async function sessionwarePeek(ctx) {
    const requestSession = requestSessionOf(ctx.session as unknown) ?? (await open(ctx, true));
    reply(ctx, answerPeek(requestSession, logoutRequestOf(ctx.req)));
  };
}

function createLogout(options: LogoutHandlerOptions, engine: SessionEngine | undefined, open: Open | undefined): Middleware {
  const resolved = resolveLogoutOptions(options, ['all']);
  const all: unknown = options.all ?? false;
  if (typeof all !== 'boolean') throw new SessionConfigError('option all is invalid: expected true or false');
  let reported = false;
  return async function sessionwareLogout(ctx) {
    const requestSession = requestSessionOf(ctx.session as unknown) ?? (await open?.(ctx));
    if (requestSession === undefined) {
      if (!reported) {
        reported = true;
        (engine?.options.logger ?? console).error('sessionware: logout() found no session: mount it after app.use(session()), or use sessions.logoutRouter()');
      }
      reply(ctx, logoutWithoutSession(ctx.req, ctx.res, ctx.secure, resolved));
      return;
    }
    reply(ctx, await answerLogout(requestSession, logoutRequestOf(ctx.req), resolved, all ? 'user' : 'session'));
  };
}

/** Options of {@link logoutRouter}. */
export interface LogoutRouterOptions extends LogoutOptions {
  /** Prefix of the router, e.g. `/auth`. @default '' */
  prefix?: string;
  /** Path of the logout route inside the router. @default '/logout' */
  path?: string;
  /** Path of the route that logs out every session of the user (SPEC L4). @default '/logout-all' */
  allPath?: string;
  /** Path of the peek, `GET`: the session's deadlines without sliding them (SPEC P5); only on `sessions.logoutRouter()`. @default '/session' */
  sessionPath?: string;
}

function logoutOptionsOf(options: LogoutRouterOptions): LogoutOptions {
  const { prefix: _prefix, path: _path, allPath: _allPath, sessionPath: _sessionPath, ...logoutOptions } = options;
  return logoutOptions;
}

/**
 * The logout router on `@koa/router`: `app.use(logoutRouter({ prefix: '/auth' }).routes())`,
 * or nested with `router.use('/auth', logoutRouter().routes())`. Routes `path` to
 * {@link logout} and `allPath` to `logout({ all: true })`. Prefer `sessions.logoutRouter()`.
 */
export function logoutRouter(options: LogoutRouterOptions = {}): Router {
  return createLogoutRouter(options, undefined, undefined).router;
}

/** The router, its logout routes with their full paths (for the middleware's answer after a failure, SPEC L2), and its peek's full path. */
function createLogoutRouter(
  options: LogoutRouterOptions,
  engine: SessionEngine | undefined,
  open: Open | undefined,
): { router: Router; routes: LogoutRoute[]; peekPath: string | undefined } {
  // The peek needs the middleware (it opens the session without sliding): only its routers have one.
  const { logout: resolved, paths: { prefix, path, allPath, sessionPath } } = resolveRouterOptions(options, open !== undefined);
  const logoutOptions = logoutOptionsOf(options);
  const RouterClass = loadRouter();
  const router = prefix === '' ? new RouterClass() : new RouterClass({ prefix });
  router.all(path, createLogout(logoutOptions, engine, open));
  router.all(allPath, createLogout({ ...logoutOptions, all: true }, engine, open));
  const routes: LogoutRoute[] = [{ key: routeKey(prefix + path), kind: 'session', options: resolved }, { key: routeKey(prefix + allPath), kind: 'user', options: resolved }];
  if (open !== undefined) router.all(sessionPath, createPeek(open));
  return { router, routes, peekPath: open === undefined ? undefined : prefix + sessionPath };
}

let routerClass: typeof Router | undefined;

/** `@koa/router` is an optional peer: loaded by the first logout router, so `session()` and `logout()` run without it. */
function loadRouter(): typeof Router {
  if (routerClass !== undefined) return routerClass;
  let loaded: typeof Router & { default?: typeof Router };
  try {
    loaded = createRequire(import.meta.url)('@koa/router') as typeof loaded;
  } catch (error) {
    throw new SessionConfigError('logoutRouter() needs @koa/router: install it (npm install @koa/router), or mount logout() on your own route', { cause: error });
  }
  routerClass = loaded.default ?? loaded;
  return routerClass;
}
