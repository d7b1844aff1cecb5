/**
 * The floor: Express 5 and one Redis GET per authenticated request, no session library. The
 * cookie is a bare random id (no signature), the record one JSON string. It is what any
 * session middleware must at least do, so it is the baseline of every ratio.
 * `GET /whoami` is one GET; `POST /counter` a GET and a SET; `POST /login` one SET.
 */
import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { connectIoredis, serve, usernameOf, usersTable, type BenchUser } from './child.js';

const COOKIE = 'floor.sid';
const TTL_SECONDS = 12 * 60 * 60;
const COOKIE_PATTERN = /(?:^|;\s*)floor\.sid=([A-Za-z0-9_-]{43})(?:;|$)/;

type Record = { user?: BenchUser; counter?: number };

const redis = await connectIoredis();
const users = usersTable();
const key = (id: string): string => `floor:${id}`;

async function read(req: Request): Promise<{ id: string; record: Record } | null> {
  const id = COOKIE_PATTERN.exec(req.headers.cookie ?? '')?.[1];
  if (id === undefined) return null;
  const text = await redis.get(key(id));
  return text === null ? null : { id, record: JSON.parse(text) as Record };
}

const app = express();
app.disable('x-powered-by');

// FLOOR_MIDDLEWARE (unset in `pnpm bench`): what Express itself charges for one more
// middleware, for bench/ab: `noop` calls next(), `session-property` also sets req.session,
// `session-accessor` sets it through an accessor on Express's request prototype (the value in
// a WeakMap), `weakmap` only puts the response in a WeakMap, `hold` holds the response with
// nothing to commit.
const middleware = process.env['FLOOR_MIDDLEWARE'];
const nothingToCommit = { commit: async () => undefined, commitSync: () => true };
if (middleware === 'noop') app.use((_req, _res, next) => next());
else if (middleware === 'session-property') {
  app.use((req, _res, next) => {
    (req as unknown as { session: unknown }).session = nothingToCommit;
    next();
  });
} else if (middleware === 'session-accessor') {
  // req.session as an accessor on Express's request prototype, the value in a WeakMap: no
  // property added to the request itself.
  const sessions = new WeakMap<object, unknown>();
  Object.defineProperty(express.request, 'session', {
    configurable: true,
    get(this: object) {
      return sessions.get(this);
    },
    set(this: object, value: unknown) {
      sessions.set(this, value);
    },
  });
  app.use((req, _res, next) => {
    (req as unknown as { session: unknown }).session = nothingToCommit;
    next();
  });
} else if (middleware === 'weakmap') {
  const values = new WeakMap<object, unknown>();
  app.use((_req, res, next) => {
    values.set(res, nothingToCommit);
    next();
  });
} else if (middleware === 'hold') {
  // Imported only here: the floor itself loads no session library.
  const { holdResponse } = await import('@sessionware/core/node');
  app.use((_req, res, next) => {
    holdResponse(res, nothingToCommit, next);
    next();
  });
} else if (middleware !== undefined) {
  throw new Error('FLOOR_MIDDLEWARE is invalid: expected noop, session-property, session-accessor, weakmap or hold');
}

app.post('/login', express.json(), async (req, res) => {
  const username = usernameOf(req.body);
  if (username === null) {
    res.status(400).json({ error: 'invalid_username' });
    return;
  }
  const user = users.findOrCreate(username);
  const id = randomBytes(32).toString('base64url');
  await redis.set(key(id), JSON.stringify({ user }), 'EX', TTL_SECONDS);
  res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/' });
  res.json({ user });
});

// FLOOR_READ_SESSION=1 (with a FLOOR_MIDDLEWARE that sets req.session): /whoami reads it once.
const readSession = process.env['FLOOR_READ_SESSION'] === '1';

app.get('/whoami', async (req, res) => {
  if (readSession && (req as unknown as { session?: unknown }).session === undefined) throw new Error('no req.session');
  const user = (await read(req))?.record.user;
  if (user === undefined) res.status(401).json({ error: 'not_logged_in' });
  else res.json({ user });
});

app.post('/counter', async (req, res) => {
  const session = await read(req);
  if (session === null) {
    res.status(401).json({ error: 'not_logged_in' });
    return;
  }
  const counter = (session.record.counter ?? 0) + 1;
  await redis.set(key(session.id), JSON.stringify({ ...session.record, counter }), 'EX', TTL_SECONDS);
  res.json({ counter });
});

const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  console.error('request failed:', error);
  res.status(500).json({ error: 'internal_error' });
};
app.use(onError);

await serve(app, () => redis.quit());
