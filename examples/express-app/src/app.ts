import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { session, type SessionOptions } from '@sessionware/express';
import { cookieNames } from '@sessionware/core';
import {
  bodyObject, checkCharset, checkPath, DATA_PREFIX, DEFAULT_FRESH_AGE_MS, idleWarningMs, isDataKey, parseUsername, renderPage, reportError,
  wantsRemember, type ExampleLog, type User, type UsersTable,
} from '@sessionware/example-shared';

/** What the example app is built from. */
export interface ExpressExampleOptions {
  session: SessionOptions;
  users: UsersTable;
  /** Where answered errors are logged. @default console */
  log?: ExampleLog;
  /** How recent an authentication `GET /sensitive` needs, in milliseconds (SESSION_FRESH_AGE, SPEC P3). @default 300000 */
  freshAgeMs?: number;
}

/** The Express example app: the HTTP contract of SPEC §E. */
export function createApp({ session: sessionOptions, users, log = console, freshAgeMs = DEFAULT_FRESH_AGE_MS }: ExpressExampleOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Client mistakes the parsers would not catch alike on both apps: 400 and 415 (SPEC §E).
  app.use((req, _res, next) => {
    checkPath(req.path);
    checkCharset(req.get('content-type'));
    next();
  });
  app.use(express.json({ limit: '16kb' }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  // loadUser reads the users table: at login, and again whenever userChanged() was called (SPEC U1, U2).
  const sessions = session({ ...sessionOptions, loadUser: (id) => users.get(id) });
  app.use(sessions);
  // The router made by the middleware cannot be misordered; it logs out even when the body parser failed (SPEC L2, L6).
  // Mounted with its prefix, so that the middleware knows the peek's path (GET /auth/session, SPEC P5) and does not slide it.
  app.use(sessions.logoutRouter({ prefix: '/auth' }));

  const { indicator } = cookieNames(sessionOptions.cookie);
  const currentUser = (req: Request): User | undefined => req.session.user;
  const notLoggedIn = (res: Response) => res.status(401).json({ error: 'not_logged_in' });

  const page = renderPage({ framework: 'Express', indicatorCookie: indicator, idleWarningMs: idleWarningMs(sessionOptions.idleTimeout) });

  app.get('/', (_req, res) => {
    res.type('html').send(page);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.post('/login', async (req, res) => {
    const body = bodyObject(req.is(['json', 'urlencoded']), req.body, req.get('content-length'));
    const username = parseUsername(body);
    if (username === null) {
      res.status(400).json({ error: 'invalid_username' });
      return;
    }
    const { id } = await users.findOrCreate(username);
    // remember: persistent cookies for this session, whatever SESSION_COOKIE_EXPIRY says (SPEC P1);
    // otherwise no choice, so the cookies are as configured (`remember: false` would force browser-session).
    const user = await req.session.login(id, wantsRemember(body) ? { remember: true } : {});
    res.json({ user });
  });

  app.post('/reauthenticate', (req, res) => {
    if (currentUser(req) === undefined) return notLoggedIn(res);
    // The examples have no passwords: a real app checks the credentials again first (SPEC P3).
    req.session.reauthenticated();
    res.json({ ok: true });
  });

  app.get('/sensitive', (req, res) => {
    if (currentUser(req) === undefined) return notLoggedIn(res);
    // Throws SessionFreshnessError, answered 401 reauthentication_required by the error handler.
    req.session.requireFresh(freshAgeMs);
    res.json({ ok: true });
  });

  app.get('/whoami', (req, res) => {
    const user = currentUser(req);
    if (user === undefined) return notLoggedIn(res);
    res.json({ user });
  });

  app.post('/verify-email', async (req, res) => {
    const user = currentUser(req);
    if (user === undefined) return notLoggedIn(res);
    if ((await users.confirmEmail(user.id)) === null) return notLoggedIn(res);
    // Every session of this user, on every instance, reloads it before its next handler (SPEC U2).
    await sessions.users.userChanged(user.id);
    res.json({ ok: true });
  });

  app.post('/counter', (req, res) => {
    const counter = (req.session.counter ?? 0) + 1;
    req.session.counter = counter;
    res.json({ counter });
  });

  app.put('/data/:key', (req, res) => {
    const key = req.params['key'] ?? '';
    const value = bodyObject(req.is(['json', 'urlencoded']), req.body, req.get('content-length'))['value'];
    if (!isDataKey(key) || value === undefined) {
      res.status(400).json({ error: 'invalid_data' });
      return;
    }
    req.session[DATA_PREFIX + key] = value;
    res.json({ ok: true });
  });

  app.delete('/data/:key', (req, res) => {
    const key = req.params['key'] ?? '';
    if (!isDataKey(key)) {
      res.status(400).json({ error: 'invalid_data' });
      return;
    }
    delete req.session[DATA_PREFIX + key];
    res.json({ ok: true });
  });

  app.get('/data', (req, res) => {
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(req.session)) {
      if (key.startsWith(DATA_PREFIX)) data[key.slice(DATA_PREFIX.length)] = value;
    }
    res.json({ data });
  });

  app.get('/sessions', async (req, res) => {
    if (currentUser(req) === undefined) return notLoggedIn(res);
    res.json({ sessions: await req.session.listSessions() });
  });

  app.post('/sessions/:handle/revoke', async (req, res) => {
    if (currentUser(req) === undefined) return notLoggedIn(res);
    res.json({ revoked: await req.session.revokeSession(req.params['handle'] ?? '') });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const { status, code } = reportError(error, log);
    if (res.headersSent) return;
    res.status(status).json({ error: code });
  };
  app.use(onError);
  return app;
}
