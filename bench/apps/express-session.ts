/**
 * express-session + connect-redis (on node-redis, the client connect-redis 9 is written for),
 * configured as their READMEs recommend: `resave: false`, `saveUninitialized: false`, login
 * through `req.session.regenerate()` then `req.session.save()`. A read-only request is a GET
 * and, since the session was not modified, a touch (EXPIRE).
 */
import express, { type Request } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { countRedisCommand, expressErrors, requiredEnv, serve, usernameOf, usersTable, type BenchUser } from './child.js';

/** express-session's session object, typed for what this app keeps in it. */
type ExpressSession = session.Session & { user?: BenchUser; counter?: number };

const client = createClient({ url: requiredEnv('BENCH_REDIS_URL') });
client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
await client.connect();
// connect-redis calls exactly these four client methods on the paths benchmarked; each is one command.
for (const name of ['get', 'set', 'expire', 'del'] as const) {
  const method = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
  Object.defineProperty(client, name, {
    value: (...args: unknown[]) => {
      countRedisCommand();
      return method(...args);
    },
  });
}

const users = usersTable();
// @types/express-session and @sessionware/express both declare Express's `req.session`; in this
// repository's single TypeScript program it has sessionware's type, so this app reads it through a cast.
const sessionOf = (req: Request): ExpressSession => (req as unknown as { session: ExpressSession }).session;

const app = express();
app.disable('x-powered-by');
app.use(session({
  store: new RedisStore({ client }),
  secret: requiredEnv('BENCH_SECRET'),
  resave: false,
  saveUninitialized: false,
}));

app.post('/login', express.json(), (req, res, next) => {
  const username = usernameOf(req.body);
  if (username === null) {
    res.status(400).json({ error: 'invalid_username' });
    return;
  }
  const user = users.findOrCreate(username);
  sessionOf(req).regenerate((regenerateError) => {
    if (regenerateError) return next(regenerateError);
    sessionOf(req).user = user;
    sessionOf(req).save((saveError) => {
      if (saveError) return next(saveError);
      res.json({ user });
    });
  });
});

app.get('/whoami', (req, res) => {
  const user = sessionOf(req).user;
  if (user === undefined) res.status(401).json({ error: 'not_logged_in' });
  else res.json({ user });
});

app.post('/counter', (req, res) => {
  const current = sessionOf(req);
  const counter = (current.counter ?? 0) + 1;
  current.counter = counter;
  res.json({ counter });
});

app.use(expressErrors);

await serve(app, () => client.quit());
