import { expect } from 'chai';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, STORE_BACKENDS, type AppSetup, type ExpressModule, type StartedApp } from './matrix-app.js';

/**
 * SPEC R3, R4 (with T6, L5): passport 0.7 + passport-local, configured as their docs say, run
 * unchanged on sessionware: `req.login` uses `regenerate(cb)` and `save(cb)`, `req.logout(cb)`
 * uses `save(cb)` then `regenerate(cb)`.
 */

const PASSWORD = 'correct horse battery staple';

/** An app set up as passport's docs show, with its own Authenticator (no global state between tests). */
function passportApp(x: ExpressModule): AppSetup {
  const auth = new passport.Passport();
  auth.use(new LocalStrategy((username, password, done) => {
    if (password === PASSWORD) done(null, { id: username });
    else done(null, false);
  }));
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, { id }));
  return {
    before: (app) => app.use(x.urlencoded({ extended: false })),
    routes: (app) => {
      app.use(auth.initialize());
      app.use(auth.session());
      app.post('/login', auth.authenticate('local'), (req, res) => {
        res.json({ user: req.user ?? null });
      });
      app.get('/whoami', (req, res) => {
        if (req.user === undefined) res.status(401).json({ error: 'not_logged_in' });
        else res.json({ user: req.user });
      });
      app.post('/logout', (req, res, next) => {
        req.logout((error: unknown) => {
          if (error !== undefined && error !== null) next(error);
          else res.json({ loggedOut: true });
        });
      });
    },
  };
}

async function whoami(target: StartedApp, cookieHeader?: string): Promise<{ status: number; json: unknown }> {
  const reply = await within(target.client.get('/whoami', cookieHeader === undefined ? {} : { cookieHeader }), 'GET /whoami');
  return { status: reply.status, json: reply.json };
}

async function login(target: StartedApp, password = PASSWORD): Promise<Awaited<ReturnType<StartedApp['client']['post']>>> {
  return within(target.client.post('/login', { form: { username: 'alice', password } }), 'POST /login (passport req.login: regenerate(cb), save(cb))');
}

for (const [version, x] of EXPRESS_VERSIONS) {
  for (const backend of STORE_BACKENDS) {
    describe(`R3, R4 passport + passport-local (${version}, ${backend.name})`, () => {
      const apps = appsFor(x, backend);

      it('R3, R4, T6: login by form post; req.user on the next request; the session id changes and the old cookie is anonymous', async () => {
        const target = await apps.start(passportApp(x));
        const anonymous = await within(target.client.post('/write/visited/yes'), 'POST /write/visited/yes');
        const before = anonymous.cookie('sw.sid')?.value;
        expect(before, 'a session before login').to.be.a('string');
        const beforeHeader = target.client.cookieHeader();

        const reply = await login(target);
        expect(reply.status, reply.body).to.equal(200);
        expect(reply.json).to.deep.equal({ user: { id: 'alice' } });
        const after = reply.cookie('sw.sid')?.value;
        expect(after, 'a session cookie on the login response').to.be.a('string');
        expect(after, 'the session id changes at login').to.not.equal(before);

        expect(await whoami(target)).to.deep.equal({ status: 200, json: { user: { id: 'alice' } } });
        expect(await whoami(target, beforeHeader), 'the pre-login cookie').to.deep.equal({ status: 401, json: { error: 'not_logged_in' } });
        await expectAlive(target);
      });

      it('R3, R4: a wrong password gets passport\'s 401 and logs nobody in', async () => {
        const target = await apps.start(passportApp(x));
        const reply = await login(target, 'wrong');
        expect(reply.status).to.equal(401);
        expect(await whoami(target)).to.deep.equal({ status: 401, json: { error: 'not_logged_in' } });
        await expectAlive(target);
      });

      it('R3, R4, L5: req.logout(cb) ends the login; the logged-in cookie is anonymous afterwards', async () => {
        const target = await apps.start(passportApp(x));
        const logged = await login(target);
        expect(logged.status, logged.body).to.equal(200);
        const loggedInHeader = target.client.cookieHeader();
        expect(await whoami(target)).to.deep.equal({ status: 200, json: { user: { id: 'alice' } } });

        const reply = await within(target.client.post('/logout'), 'POST /logout (passport req.logout: save(cb), regenerate(cb))');
        expect(reply.status, reply.body).to.equal(200);
        expect(reply.json).to.deep.equal({ loggedOut: true });
        expect(await whoami(target), 'the cookies the logout answered with').to.deep.equal({ status: 401, json: { error: 'not_logged_in' } });
        expect(await whoami(target, loggedInHeader), 'the logged-in cookie replayed').to.deep.equal({ status: 401, json: { error: 'not_logged_in' } });
        await expectAlive(target);
      });
    });
  }
}
