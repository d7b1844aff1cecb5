/**
 * @sessionware/koa — the Koa adapter. It only translates between Koa and `@sessionware/core`;
 * every session rule lives in core.
 * @packageDocumentation
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import {
  createSessionEngine,
  openNodeSession,
  requestSessionOf,
  resolveLogoutOptions,
  SessionConfigError,
  type LogoutOptions,
  type Session,
  type SessionOptions,
  type UserSessions,
} from '@sessionware/core';

export type { LogoutOptions, Session, SessionData, SessionInfo, SessionOptions, SessionUser, UserSessions } from '@sessionware/core';
export { MemoryStore, SessionConfigError, SessionError, SessionStoreError, userSessions } from '@sessionware/core';

declare module 'koa' {
  interface ExtendableContext {
    /** The session of this request, set by `session()`. */
    session: Session;
  }
}

/** The middleware `session()` returns, with the per-user operations on its store. */
export type SessionMiddleware = Middleware & {
  /** `userChanged(userId)`, list and revoke a user's sessions, from anywhere (SPEC U2, U4). */
  readonly users: UserSessions;
};

/**
 * Session middleware: `app.use(session(options))`. Sets `ctx.session`; after the downstream
 * middleware finishes, stores changes and sets the cookies before Koa writes the response.
 * A store failure surfaces through Koa's error path with status 503. Throws
 * `SessionConfigError` at startup on bad options.
 */
export function session(options?: SessionOptions): SessionMiddleware {
  const engine = createSessionEngine(options);
  const middleware: Middleware = async function sessionware(ctx, next) {
    const requestSession = await openNodeSession(engine, ctx.req, ctx.res);
    ctx.session = requestSession.session;
    await next();
    if (!requestSession.commitSync()) await requestSession.commit();
  };
  return Object.assign(middleware, { users: engine.users });
}

/** Options of {@link logout}. */
export interface LogoutHandlerOptions extends LogoutOptions {
  /** Log out every session of the user, not only this one (SPEC L4). @default false */
  all?: boolean;
}

/**
 * The logout handler as plain Koa middleware, whatever path it is mounted on: `POST` logs
 * out (always 2xx, or 303 for HTML forms) and clears both cookies; other methods get 405.
 * Needs `session()` mounted before it.
 */
export function logout(options: LogoutHandlerOptions = {}): Middleware {
  const { all = false, ...logoutOptions } = options;
  const resolved = resolveLogoutOptions(logoutOptions);
  return async function sessionwareLogout(ctx) {
    const requestSession = requestSessionOf(ctx.session as unknown);
    if (requestSession === undefined) {
      throw new SessionConfigError('logout() needs app.use(session()) mounted before it (ctx.session is not a sessionware session)');
    }
    const reply = await requestSession.logout(
      { method: ctx.method, contentType: ctx.get('content-type') || undefined, accept: ctx.get('accept') || undefined },
      resolved,
      all ? 'user' : 'session',
    );
    ctx.set(reply.headers);
    ctx.body = reply.body;
    ctx.status = reply.status;
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
}

/**
 * The logout router on `@koa/router`: `app.use(logoutRouter({ prefix: '/auth' }).routes())`,
 * or nested with `router.use('/auth', logoutRouter().routes())`. Routes `path` to
 * {@link logout} and `allPath` to `logout({ all: true })`.
 */
export function logoutRouter(options: LogoutRouterOptions = {}): Router {
  const { prefix = '', path = '/logout', allPath = '/logout-all', ...logoutOptions } = options;
  for (const [name, value] of [['prefix', prefix], ['path', path], ['allPath', allPath]] as const) {
    if (typeof value !== 'string' || (value !== '' && !value.startsWith('/')) || (name !== 'prefix' && value === '')) {
      throw new SessionConfigError(`option ${name} is invalid: expected a path starting with /`);
    }
  }
  const router = prefix === '' ? new Router() : new Router({ prefix });
  router.all(path, logout(logoutOptions));
  router.all(allPath, logout({ ...logoutOptions, all: true }));
  return router;
}
