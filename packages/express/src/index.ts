/**
 * @sessionware/express — the Express adapter. It only translates between Express and
 * `@sessionware/core`; every session rule lives in core.
 * @packageDocumentation
 */
import express, { type RequestHandler, type Router } from 'express';
import {
  createSessionEngine,
  holdResponseUntilCommitted,
  openNodeSession,
  requestSessionOf,
  resolveLogoutOptions,
  SessionConfigError,
  type LogoutOptions,
  type LogoutScope,
  type RequestSession,
  type Session,
  type SessionOptions,
  type UserSessions,
} from '@sessionware/core';

export type { LogoutOptions, Session, SessionData, SessionInfo, SessionOptions, SessionUser, UserSessions } from '@sessionware/core';
export { MemoryStore, SessionConfigError, SessionError, SessionStoreError, userSessions } from '@sessionware/core';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The session of this request, set by `session()`. */
      session: Session;
    }
  }
}

/** The middleware `session()` returns, with the per-user operations on its store. */
export type SessionMiddleware = RequestHandler & {
  /** `userChanged(userId)`, list and revoke a user's sessions, from anywhere (SPEC U2, U4). */
  readonly users: UserSessions;
};

/**
 * Session middleware: `app.use(session(options))`. Sets `req.session`; stores changes and
 * sets the cookies before the response headers are sent. Throws `SessionConfigError` at
 * startup on bad options (e.g. no secrets with NODE_ENV=production).
 */
export function session(options?: SessionOptions): SessionMiddleware {
  const engine = createSessionEngine(options);
  // Not an async function: Express would chain a handler of its own on the promise it returns.
  // `req.session` is the only property added to `req` (each costs about 2 µs on Express's
  // re-prototyped requests); the logout router finds the engine session through it.
  const middleware: RequestHandler = function sessionware(req, res, next) {
    openNodeSession(engine, req, res).then((requestSession: RequestSession) => {
      try {
        req.session = requestSession.session;
        holdResponseUntilCommitted(res, requestSession, next);
      } catch (error) {
        next(error);
        return;
      }
      next();
    }, next);
  };
  return Object.assign(middleware, { users: engine.users });
}

/** Options of {@link logoutRouter}. */
export interface LogoutRouterOptions extends LogoutOptions {
  /** Path of the logout route inside the router. @default '/logout' */
  path?: string;
  /** Path of the route that logs out every session of the user (SPEC L4). @default '/logout-all' */
  allPath?: string;
}

/**
 * The logout router: `app.use('/auth', logoutRouter())` after `session()`. `POST /logout`
 * ends this session, `POST /logout-all` every session of its user (SPEC L4); both always
 * answer 2xx (or 303 for HTML forms) and clear both cookies; other methods get 405.
 */
export function logoutRouter(options: LogoutRouterOptions = {}): Router {
  const { path = '/logout', allPath = '/logout-all', ...logoutOptions } = options;
  for (const [name, value] of [['path', path], ['allPath', allPath]] as const) {
    if (typeof value !== 'string' || !value.startsWith('/')) {
      throw new SessionConfigError(`option ${name} is invalid: expected a path starting with /`);
    }
  }
  const resolved = resolveLogoutOptions(logoutOptions);
  const router = express.Router();
  const handler = (scope: LogoutScope): RequestHandler => async (req, res, next) => {
    const requestSession = requestSessionOf(req.session as unknown);
    if (requestSession === undefined) {
      next(new SessionConfigError('logoutRouter() needs app.use(session()) mounted before it (req.session is not a sessionware session)'));
      return;
    }
    const reply = await requestSession.logout(
      { method: req.method, contentType: req.get('content-type'), accept: req.get('accept') },
      resolved,
      scope,
    );
    res.status(reply.status).set(reply.headers).end(reply.body);
  };
  router.all(path, handler('session'));
  router.all(allPath, handler('user'));
  return router;
}
