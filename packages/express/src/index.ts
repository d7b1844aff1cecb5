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
  type RequestSession,
  type Session,
  type SessionOptions,
} from '@sessionware/core';

export type { LogoutOptions, Session, SessionData, SessionOptions } from '@sessionware/core';
export { MemoryStore, SessionConfigError, SessionError, SessionStoreError } from '@sessionware/core';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The session of this request, set by `session()`. */
      session: Session;
    }
  }
}

const REQUEST_SESSION = Symbol('sessionware.requestSession');
type WithRequestSession = Request & { [REQUEST_SESSION]?: RequestSession };

/**
 * Session middleware: `app.use(session(options))`. Sets `req.session`; stores changes and
 * sets the cookies before the response headers are sent. Throws `SessionConfigError` at
 * startup on bad options (e.g. no secrets with NODE_ENV=production).
 */
export function session(options?: SessionOptions): RequestHandler {
  const engine = createSessionEngine(options);
  return async function sessionware(req, res, next) {
    let requestSession: RequestSession;
    try {
      requestSession = await openNodeSession(engine, req, res);
    } catch (error) {
      next(error);
      return;
    }
    req.session = requestSession.session;
    (req as WithRequestSession)[REQUEST_SESSION] = requestSession;
    holdResponseUntilCommitted(res, () => requestSession.commit(), next);
    next();
  };
}

/** Options of {@link logoutRouter}. */
export interface LogoutRouterOptions extends LogoutOptions {
  /** Path of the logout route inside the router. @default '/logout' */
  path?: string;
}

/**
 * The logout router: `app.use('/auth', logoutRouter())` after `session()`. `POST /logout`
 * always answers 2xx (or 303 for HTML forms) and clears both cookies; other methods get 405.
 */
export function logoutRouter(options: LogoutRouterOptions = {}): Router {
  const { path = '/logout', ...logoutOptions } = options;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new SessionConfigError('option path is invalid: expected a path starting with /');
  }
  const resolved = resolveLogoutOptions(logoutOptions);
  const router = express.Router();
  router.all(path, async (req, res, next) => {
    const requestSession = (req as WithRequestSession)[REQUEST_SESSION];
    if (requestSession === undefined) {
      next(new SessionConfigError('logoutRouter() needs app.use(session()) mounted before it'));
      return;
    }
    const reply = await requestSession.logout(
      { method: req.method, contentType: req.get('content-type'), accept: req.get('accept') },
      resolved,
    );
    res.status(reply.status).set(reply.headers).end(reply.body);
  });
  return router;
}
