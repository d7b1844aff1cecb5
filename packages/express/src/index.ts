/**
 * @sessionware/express — the Express adapter (Express 4.21+ and 5). It only translates
 * between Express and `@sessionware/core`; every session rule lives in core.
 * @packageDocumentation
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { answerLogout, answerPeek, createSessionEngine, PeekPaths, requestSessionOf, resolveRouterOptions, routeKey } from '@sessionware/core';
import type { LogoutOptions, LogoutScope, RequestSession, Session, SessionEngine, SessionOptions, UserSessions } from '@sessionware/core';
import { attachSession, checkSessionSlot, logoutRequestOf, logoutWithoutSession, openNodeSession, writeLogoutReply } from '@sessionware/core/node';

export type { ExpressSessionReaderOptions, KoaSessionReaderOptions, LegacySessionReader, LogoutOptions, Session, SessionCallback, SessionData, SessionInfo, SessionOptions, SessionUser, UserSessions } from '@sessionware/core';
export { fromExpressSession, fromKoaSession, MemoryStore, SessionConfigError, SessionConflictError, SessionDataError, SessionError, SessionFreshnessError, SessionHookError, SessionLimitError, SessionStoreError, userSessions } from '@sessionware/core';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The session of this request, set by `session()`. Assign `null` to destroy it (SPEC R5). */
      get session(): Session;
      set session(value: Session | null);
    }
  }
}

/** The logout router: a route handler and its error-path twin, for `app.use(path, router)`. */
export type LogoutRouter = [RequestHandler, ErrorRequestHandler];

/** The middleware `session()` returns, with the per-user operations on its store and its own logout router. */
export type SessionMiddleware = RequestHandler & {
  /** `userChanged(userId)`, list and revoke a user's sessions, from anywhere (SPEC U2, U4). */
  readonly users: UserSessions;
  /**
   * The logout router of this middleware: `app.use(sessions.logoutRouter({ prefix: '/auth' }))`.
   * It opens the session itself when mounted before the middleware, so it cannot be misordered
   * (SPEC L6), and it serves the peek, `GET <prefix>/session` (SPEC P5), which the middleware
   * recognises by its full path and opens without sliding the idle deadline.
   */
  logoutRouter(options?: LogoutRouterOptions): LogoutRouter;
};

type Open = (req: Request, res: Response, next: (error?: unknown) => void, peek?: boolean) => Promise<RequestSession>;

/** Whether `req` asks for the peek (SPEC P5), by its full path. */
function isPeek(req: Request, paths: PeekPaths): boolean {
  return paths.matches(req.method, req.baseUrl + req.path);
}

/**
 * Session middleware: `app.use(session(options))`. Sets `req.session`; stores changes and
 * sets the cookies before the response headers are sent. Throws `SessionConfigError` at
 * startup on bad options (an unknown name, or no secrets unless NODE_ENV is development or test).
 */
export function session(options?: SessionOptions): SessionMiddleware {
  const engine = createSessionEngine(options);
  // The full paths of the peek routes of this middleware's routers (SPEC P5).
  const peekPaths = new PeekPaths();
  // `req` answers `secure` by Express's own `trust proxy` setting (SPEC C4).
  const open: Open = (req, res, next, peek = false) => openNodeSession(engine, req, res, req, next, 'hold', peek);
  // Not an async function: Express would chain a handler of its own on the promise it returns.
  const middleware: RequestHandler = function sessionware(req, res, next) {
    try {
      checkSessionSlot(req, 'req.session');
    } catch (error) {
      next(error);
      return;
    }
    open(req, res, next, isPeek(req, peekPaths)).then((requestSession) => {
      attachSession(req, requestSession);
      next();
    }, next);
  };
  return Object.assign(middleware, {
    users: engine.users,
    logoutRouter: (routerOptions?: LogoutRouterOptions) => createLogoutRouter(routerOptions, { engine, open, peekPaths }),
  });
}

/** What a router made by the middleware shares with it. */
interface MiddlewareLink {
  engine: SessionEngine;
  open: Open;
  /** Where the router registers the full path of its peek route. */
  peekPaths: PeekPaths;
}

/** Options of {@link logoutRouter}. */
export interface LogoutRouterOptions extends LogoutOptions {
  /**
   * The path the router's routes start with when it is mounted at the app's root,
   * `app.use(router)`, so the middleware knows the peek's full path (SPEC P5). Mounted with a
   * path instead (`app.use('/auth', router)`), logout works the same, but the peek is opened,
   * and slid, like any request: one warning says so.
   * @default ''
   */
  prefix?: string;
  /** Path of the logout route inside the router. @default '/logout' */
  path?: string;
  /** Path of the route that logs out every session of the user (SPEC L4). @default '/logout-all' */
  allPath?: string;
  /** Path of the peek, `GET`: the session's deadlines without sliding them (SPEC P5); only on `sessions.logoutRouter()`. @default '/session' */
  sessionPath?: string;
}

/**
 * The logout router: `app.use('/auth', logoutRouter())`. `POST /logout` ends this session,
 * `POST /logout-all` every session of its user (SPEC L4); both always answer 2xx (or 303 for
 * HTML forms) and clear both cookies, also when a middleware before them failed (a body
 * parser given a malformed body, SPEC L2) or when no session is found (SPEC L6); other
 * methods get 405. Prefer `sessions.logoutRouter()`, which cannot be misordered.
 */
export function logoutRouter(options?: LogoutRouterOptions): LogoutRouter {
  return createLogoutRouter(options, undefined);
}

function createLogoutRouter(options: LogoutRouterOptions = {}, link: MiddlewareLink | undefined): LogoutRouter {
  // The peek needs the middleware (it opens the session without sliding): only its routers have one.
  const { logout: resolved, paths: { prefix, path, allPath, sessionPath } } = resolveRouterOptions(options, link !== undefined);
  const engine = link?.engine;
  const open = link?.open;
  const scopes = new Map<string, LogoutScope>([[routeKey(prefix + allPath), 'user'], [routeKey(prefix + path), 'session']]);
  const peekPath = link === undefined ? undefined : routeKey(prefix + sessionPath);
  if (peekPath !== undefined) link?.peekPaths.add(peekPath);
  let reported = false;
  let warnedMount = false;
  const peek = async (req: Request, res: Response, next: (error?: unknown) => void): Promise<void> => {
    if (!warnedMount && link !== undefined && (req.method === 'GET' || req.method === 'HEAD') && !isPeek(req, link.peekPaths)) {
      warnedMount = true;
      link.engine.options.logger.warn(`sessionware: the peek ${req.baseUrl + req.path} slid the idle deadline: mount the logout router with app.use(sessions.logoutRouter({ prefix: '${req.baseUrl}' })) instead of app.use('${req.baseUrl}', …)`);
    }
    const requestSession = requestSessionOf(req.session as unknown) ?? (await open?.(req, res, next, true));
    if (requestSession !== undefined) writeLogoutReply(res, answerPeek(requestSession, logoutRequestOf(req)));
  };
  const run = async (req: Request, res: Response, next: (error?: unknown) => void, earlier?: unknown): Promise<void> => {
    const key = routeKey(req.path);
    if (key === peekPath && earlier === undefined) return peek(req, res, next);
    const scope = scopes.get(key);
    // An earlier failure is answered by a logout only for the logout itself, which needs no body.
    if (scope === undefined || (earlier !== undefined && req.method !== 'POST')) {
      next(earlier);
      return;
    }
    if (earlier !== undefined) (engine?.options.logger ?? console).error('sessionware: logging out although an earlier middleware failed on the request', earlier);
    const requestSession = requestSessionOf(req.session as unknown) ?? (await open?.(req, res, next));
    if (requestSession === undefined) {
      if (!reported) {
        reported = true;
        console.error('sessionware: logoutRouter() found no session: mount it after app.use(session()), or use sessions.logoutRouter()');
      }
      writeLogoutReply(res, logoutWithoutSession(req, res, req.secure, resolved));
      return;
    }
    writeLogoutReply(res, await answerLogout(requestSession, logoutRequestOf(req), resolved, scope));
  };
  const handler: RequestHandler = (req, res, next) => {
    run(req, res, next).catch(next);
  };
  const onError: ErrorRequestHandler = (error: unknown, req, res, next) => {
    run(req, res, next, error).catch(next);
  };
  return [handler, onError];
}
