/**
 * @sessionware/express — the Express adapter. It only translates between Express and
 * `@sessionware/core`; every session rule lives in core.
 * @packageDocumentation
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import {
  createSessionEngine,
  holdResponseUntilCommitted,
  openNodeSession,
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

/**
 * Each request's engine session, for `logoutRouter()`. A property of `req`, not a WeakMap:
 * a WeakMap entry per request, whose value leads back to its key (through the response),
 * measured 12-18 µs per request slower under load (garbage collection of the ephemerons), and
 * deleting the entry at commit only matched the property's cost.
 */
const REQUEST_SESSION = Symbol('sessionware.requestSession');
type WithRequestSession = Request & { [REQUEST_SESSION]?: RequestSession };

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
  const middleware: RequestHandler = async function sessionware(req, res, next) {
    let requestSession: RequestSession;
    try {
      requestSession = await openNodeSession(engine, req, res);
    } catch (error) {
      next(error);
      return;
    }
    req.session = requestSession.session;
    (req as WithRequestSession)[REQUEST_SESSION] = requestSession;
    holdResponseUntilCommitted(res, () => requestSession.commit(), next, () => requestSession.commitSync());
    next();
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
    const requestSession = (req as WithRequestSession)[REQUEST_SESSION];
    if (requestSession === undefined) {
      next(new SessionConfigError('logoutRouter() needs app.use(session()) mounted before it'));
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
