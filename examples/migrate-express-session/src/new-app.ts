/**
 * The app after the switch: sessionware with the Redis store, and `migrateFrom` reading the
 * old app's cookies and connect-redis records for the migration window (issue 16).
 */
import express from 'express';
import type { RedisStore } from 'connect-redis';
import type { Redis } from 'ioredis';
import { fromExpressSession, session } from '@sessionware/express';
import { redisStore } from '@sessionware/redis';
import { OLD_SECRET } from './old-app.js';

/** The app's users table (its database, not the session store). */
const USERS = new Map([['alice', { id: 'alice', username: 'alice', emailConfirmed: true }]]);

export function createNewApp(client: Redis, oldStore: RedisStore, secrets: string): express.Express {
  const sessions = session({
    secrets,
    store: redisStore(client),
    loadUser: (userId) => USERS.get(userId) ?? null,
    // Remove once the old sessions' lifetime (express-session's cookie.maxAge, connect-redis's ttl) has passed.
    migrateFrom: fromExpressSession({
      secret: OLD_SECRET,
      store: oldStore,
      userIdOf: (data) => (data['passport'] as { user?: unknown } | undefined)?.user,
    }),
  });
  const app = express();
  app.use(sessions);
  app.use(sessions.logoutRouter({ prefix: '/auth' }));
  app.get('/whoami', (req, res) => {
    if (req.session.userId === undefined) res.status(401).json({ error: 'not_logged_in' });
    else res.json({ user: req.session.user, cart: req.session['cart'] });
  });
  return app;
}
