/**
 * The floor: Express 5 and one Redis GET per authenticated request, no session library. The
 * cookie is a bare random id (no signature), the record one JSON string. It is what any
 * session middleware must at least do, so it is the baseline of every ratio.
 * `GET /whoami` is one GET; `POST /counter` a GET and a SET; `POST /login` one SET.
 */
import { randomBytes } from 'node:crypto';
import express, { type Request } from 'express';
import { connectIoredis, expressErrors, serve, usernameOf, usersTable, type BenchUser } from './child.js';

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

app.get('/whoami', async (req, res) => {
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

app.use(expressErrors);

await serve(app, () => redis.quit());
