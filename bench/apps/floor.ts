/**
 * The floor: Express 5 and one Redis GET per authenticated request, no session library. The
 * cookie is a bare random id (no signature), the record one JSON string. It is what any
 * session middleware must at least do, so it is the baseline of every ratio.
 * `GET /whoami` is one GET; `POST /counter` a GET and a SET; `POST /login` one SET.
 */
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { connectIoredis, serveExpress, type BenchUser } from './child.js';

const [COOKIE, TTL_SECONDS, COOKIE_PATTERN] = ['floor.sid', 12 * 60 * 60, /(?:^|;\s*)floor\.sid=([A-Za-z0-9_-]{43})(?:;|$)/];
type Record = { user?: BenchUser; counter?: number };

const redis = await connectIoredis();
const key = (id: string): string => `floor:${id}`;

async function read(req: Request): Promise<{ id: string; record: Record } | null> {
  const id = COOKIE_PATTERN.exec(req.headers.cookie ?? '')?.[1];
  if (id === undefined) return null;
  const text = await redis.get(key(id));
  return text === null ? null : { id, record: JSON.parse(text) as Record };
}

await serveExpress({
  async login([, res], user) {
    const id = randomBytes(32).toString('base64url');
    await redis.set(key(id), JSON.stringify({ user }), 'EX', TTL_SECONDS);
    res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/' });
    return user;
  },
  user: async ([req]) => (await read(req))?.record.user,
  async counter([req]) {
    const session = await read(req);
    if (session === null) return null;
    const counter = (session.record.counter ?? 0) + 1;
    await redis.set(key(session.id), JSON.stringify({ ...session.record, counter }), 'EX', TTL_SECONDS);
    return counter;
  },
}, [], () => redis.quit());
