/**
 * The app before the switch: express-session + connect-redis 9, as their READMEs configure
 * them. `POST /login` logs a user in the way passport does (`req.session.passport.user`) and
 * keeps a cart in the session.
 */
import express, { type Request } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';

/** express-session's secret of the old app; the new app's reader verifies old cookies with it. */
export const OLD_SECRET = process.env['OLD_SESSION_SECRET'] ?? 'the-secret-the-old-app-was-deployed-with';

type OldSession = session.Session & { passport?: { user: string }; cart?: string[] };
// @types/express-session and @sessionware/express both declare `req.session`; in this workspace's
// single TypeScript program it has sessionware's type, so the old app reads it through a cast.
const sessionOf = (req: Request): OldSession => (req as unknown as { session: OldSession }).session;

export function createOldApp(store: RedisStore): express.Express {
  const app = express();
  app.use(express.json());
  app.use(session({ store, secret: OLD_SECRET, resave: false, saveUninitialized: false }));
  app.post('/login', (req, res, next) => {
    sessionOf(req).regenerate((error) => {
      if (error !== undefined && error !== null) return next(error);
      const fresh = sessionOf(req);
      fresh.passport = { user: String((req.body as { username?: unknown }).username) };
      fresh.cart = ['book'];
      fresh.save((saveError) => (saveError === undefined || saveError === null ? res.json({ loggedIn: fresh.passport?.user }) : next(saveError)));
    });
  });
  return app;
}
