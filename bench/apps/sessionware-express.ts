/**
 * Our Express adapter: `@sessionware/express` on `@sessionware/redis` (BENCH_STORE=redis) or
 * on the embedded MemoryStore (BENCH_STORE=memory), with defaults except the secret. Login
 * is `session.login(userId)` (new id, the user's attributes loaded through `loadUser` and
 * cached in the session); `GET /whoami` reads that cached copy. Every request also does what
 * the floor does not: verify the signed cookie, slide the idle deadline within the absolute
 * one, and check whether the user changed since the copy was cached.
 */
import express from 'express';
import { session } from '@sessionware/express';
import { connectIoredis, expressErrors, requiredEnv, serve, usernameOf, usersTable } from './child.js';
import { benchStore } from './store.js';

const { store, close } = await benchStore(connectIoredis);
const users = usersTable();

const app = express();
app.disable('x-powered-by');
app.use(session({ store, secrets: requiredEnv('BENCH_SECRET'), loadUser: (id) => users.get(id) }));

app.post('/login', express.json(), async (req, res) => {
  const username = usernameOf(req.body);
  if (username === null) {
    res.status(400).json({ error: 'invalid_username' });
    return;
  }
  const user = await req.session.login(users.findOrCreate(username).id);
  res.json({ user });
});

app.get('/whoami', (req, res) => {
  const user = req.session.user;
  if (user === undefined) res.status(401).json({ error: 'not_logged_in' });
  else res.json({ user });
});

app.post('/counter', (req, res) => {
  const previous = req.session['counter'];
  const counter = (typeof previous === 'number' ? previous : 0) + 1;
  req.session['counter'] = counter;
  res.json({ counter });
});

app.use(expressErrors);

await serve(app, close);
