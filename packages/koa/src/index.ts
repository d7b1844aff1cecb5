/**
 * @sessionware/koa — the Koa adapter. It only translates between Koa and `@sessionware/core`;
 * every session rule lives in core.
 * @packageDocumentation
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import {
  createSessionEngine,
  openNodeSession,
  resolveLogoutOptions,
  SessionConfigError,
  type LogoutOptions,
  type RequestSession,
  type Session,
  type SessionOptions,
} from '@sessionware/core';

export type { LogoutOptions, Session, SessionData, SessionOptions } from '@sessionware/core';
export { MemoryStore, SessionConfigError, SessionError, SessionStoreError } from '@sessionware/core';

declare module 'koa' {
  interface ExtendableContext {
    /** The session of this request, set by `session()`. */
    session: Session;
  }
}

const REQUEST_SESSION = Symbol('sessionware.requestSession');
type WithRequestSession = Context & { [REQUEST_SESSION]?: RequestSession };

/**
 * Session middleware: `app.use(session(options))`. Sets `ctx.session`; after the downstream
 * middleware finishes, stores changes and sets the cookies before Koa writes the response.
 * A store failure surfaces through Koa's error path with status 503. Throws
 * `SessionConfigError` at startup on bad options.
 */
export function session(options?: SessionOptions): Middleware {
  const engine = createSessionEngine(options);
  return async function sessionware(ctx, next) {
    const requestSession = await openNodeSession(engine, ctx.req, ctx.res);
    ctx.session = requestSession.session;
    (ctx as WithRequestSession)[REQUEST_SESSION] = requestSession;
    await next();
    await requestSession.commit();
  };
}

/**
 * The logout handler as plain Koa middleware, whatever path it is mounted on: `POST` logs
 * out (always 2xx, or 303 for HTML forms) and clears both cookies; other methods get 405.
 * Needs `session()` mounted before it.
 */
export function logout(options: LogoutOptions = {}): Middleware {
  const resolved = resolveLogoutOptions(options);
  return async function sessionwareLogout(ctx) {
    const requestSession = (ctx as WithRequestSession)[REQUEST_SESSION];
    if (requestSession === undefined) {
      throw new SessionConfigError('logout() needs app.use(session()) mounted before it');
    }
    const reply = await requestSession.logout(
      { method: ctx.method, contentType: ctx.get('content-type') || undefined, accept: ctx.get('accept') || undefined },
      resolved,
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
}

/**
 * The logout router on `@koa/router`: `app.use(logoutRouter({ prefix: '/auth' }).routes())`,
 * or nested with `router.use('/auth', logoutRouter().routes())`. Routes `path` to {@link logout}.
 */
export function logoutRouter(options: LogoutRouterOptions = {}): Router {
  const { prefix = '', path = '/logout', ...logoutOptions } = options;
  for (const [name, value] of [['prefix', prefix], ['path', path]] as const) {
    if (typeof value !== 'string' || (value !== '' && !value.startsWith('/')) || (name === 'path' && value === '')) {
      throw new SessionConfigError(`option ${name} is invalid: expected a path starting with /`);
    }
  }
  const router = prefix === '' ? new Router() : new Router({ prefix });
  router.all(path, logout(logoutOptions));
  return router;
}
