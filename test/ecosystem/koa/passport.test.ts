import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { expect } from 'chai';
import koaPassport from 'koa-passport';
import passportLocal from 'passport-local';
import { session } from '@sessionware/koa';
import {
  bounded, describeOnBackends, expectAlive, expectCleared, koaApp, logoutRouterOf, SESSION_COOKIE, type Harness, type Running,
} from './support.js';
import type { Client } from '@sessionware/test-support';

/**
 * SPEC R3, R4, T6, L5: koa-passport with passport-local, unchanged. Its passport (koa-passport 6
 * depends on passport 0.6.0, not the root's 0.7; both call the same forms) calls the
 * express-session forms `regenerate(cb)` and `save(cb)` at login, `save(cb)` then
 * `regenerate(cb)` at logout (R4). Login via POST gives a new session id (T6: the cookie from
 * before the login is dead at once), `ctx.state.user` and `ctx.isAuthenticated()` on the next
 * request; `ctx.logout()` (and sessionware's own logout router) end it, and the cookie from
 * before the logout is anonymous (L5).
 */

interface User {
  id: string;
  username: string;
}

const ACCOUNTS = new Map([['ann', { id: 'u1', username: 'ann', password: 'correct horse' }]]);

describeOnBackends('koa-passport + passport-local (SPEC R3, R4, T6, L5)', (harness: Harness) => {
  /** The app; `logoutRouter`: with sessionware's router created from the middleware at /auth. */
  async function start(logoutRouter = false): Promise<Running> {
    const passport = new koaPassport.KoaPassport();
    passport.use(new passportLocal.Strategy((username, password, done) => {
      const account = ACCOUNTS.get(username);
      if (account === undefined || account.password !== password) done(null, false);
      else done(null, { id: account.id, username: account.username } satisfies User);
    }));
    passport.serializeUser((user, done) => done(null, (user as User).id));
    passport.deserializeUser((id: string, done) => {
      const account = [...ACCOUNTS.values()].find((a) => a.id === id);
      done(null, account === undefined ? false : { id: account.id, username: account.username } satisfies User);
    });

    const test = koaApp();
    test.app.use(bodyParser({ enableTypes: ['json', 'form'] }));
    const sessions = session(await harness.options());
    test.app.use(sessions);
    if (logoutRouter) test.app.use(logoutRouterOf(sessions));
    test.app.use(passport.initialize());
    test.app.use(passport.session());
    const router = new Router();
    router.post('/visit', (ctx) => {
      ctx.session['visited'] = true;
      ctx.body = { ok: true };
    });
    router.post('/login', passport.authenticate('local'), (ctx) => {
      ctx.body = { user: ctx.state['user'] as unknown };
    });
    router.post('/login-promise', async (ctx) => {
      const { username } = ctx.request.body as { username?: string };
      const account = username === undefined ? undefined : ACCOUNTS.get(username);
      if (account === undefined) {
        ctx.status = 401;
        return;
      }
      await ctx.login({ id: account.id, username: account.username } satisfies User);
      ctx.body = { user: ctx.state['user'] as unknown };
    });
    router.get('/me', (ctx) => {
      ctx.body = { user: (ctx.state['user'] as unknown) ?? null, authenticated: ctx.isAuthenticated() };
    });
    router.post('/logout', async (ctx) => {
      await ctx.logout();
      ctx.body = { ok: true };
    });
    test.app.use(router.routes());
    return harness.start(test);
  }

  /** Who a client holding only this session cookie is, as passport sees it. */
  async function whoIs(running: Running, cookie: string): Promise<unknown> {
    const client = running.client();
    client.jar.set(SESSION_COOKIE, cookie);
    const reply = await bounded(client.get('/me'), 'GET /me');
    expect(reply.status).to.equal(200);
    return reply.json;
  }

  const ANN = { id: 'u1', username: 'ann' };
  const ANONYMOUS = { user: null, authenticated: false };

  /** A client with a session from before the login, and that session's cookie. */
  async function visitor(running: Running): Promise<{ client: Client; before: string }> {
    const client = running.client();
    expect((await bounded(client.post('/visit'), 'POST /visit')).status).to.equal(200);
    const before = client.jar.get(SESSION_COOKIE) ?? '';
    expect(before, 'a session before the login').to.not.equal('');
    return { client, before };
  }

  it('login via POST (passport.authenticate("local")) gives a new session id and ctx.state.user on the next request; the old cookie is dead (R3, R4, T6)', async () => {
    const running = await start();
    const { client, before } = await visitor(running);
    const login = await bounded(client.post('/login', { form: { username: 'ann', password: 'correct horse' } }), 'POST /login');
    expect(login.status).to.equal(200);
    expect(login.json).to.deep.equal({ user: ANN });
    const after = login.cookie(SESSION_COOKIE);
    expect(after, 'a new session cookie at login').to.not.equal(undefined);
    expect(after?.value, 'the session id changes at login (T6)').to.not.equal(before);
    const me = await bounded(client.get('/me'), 'GET /me');
    expect(me.json).to.deep.equal({ user: ANN, authenticated: true });
    expect(await whoIs(running, before), 'the cookie from before the login').to.deep.equal(ANONYMOUS);
    await expectAlive(running);
  });

  it('a wrong password answers 401 and logs nobody in (R3)', async () => {
    const running = await start();
    const { client, before } = await visitor(running);
    const login = await bounded(client.post('/login', { form: { username: 'ann', password: 'wrong' } }), 'POST /login');
    expect(login.status).to.equal(401);
    expect((await bounded(client.get('/me'), 'GET /me')).json).to.deep.equal(ANONYMOUS);
    expect(await whoIs(running, before)).to.deep.equal(ANONYMOUS);
    await expectAlive(running);
  });

  it('await ctx.login(user) logs in with a new session id, ctx.logout() logs out, and the cookie from before the logout is anonymous (R3, R4, T6, L5)', async () => {
    const running = await start();
    const { client, before } = await visitor(running);
    const login = await bounded(client.post('/login-promise', { json: { username: 'ann' } }), 'POST /login-promise');
    expect(login.status).to.equal(200);
    expect(login.json).to.deep.equal({ user: ANN });
    const loggedIn = client.jar.get(SESSION_COOKIE) ?? '';
    expect(loggedIn, 'the session id changes at login (T6)').to.not.equal(before);
    expect(await whoIs(running, loggedIn)).to.deep.equal({ user: ANN, authenticated: true });

    const logout = await bounded(client.post('/logout'), 'POST /logout');
    expect(logout.status).to.equal(200);
    expect(logout.json).to.deep.equal({ ok: true });
    expect((await bounded(client.get('/me'), 'GET /me')).json, 'this client after logout').to.deep.equal(ANONYMOUS);
    expect(await whoIs(running, loggedIn), 'the cookie from before the logout').to.deep.equal(ANONYMOUS);
    expect(await whoIs(running, before), 'the cookie from before the login').to.deep.equal(ANONYMOUS);
    await expectAlive(running);
  });

  it('sessionware\'s logout router ends a passport login: 200, cookies cleared, the old cookie anonymous (R3, L1, L5)', async () => {
    const running = await start(true);
    const client = running.client();
    const login = await bounded(client.post('/login', { form: { username: 'ann', password: 'correct horse' } }), 'POST /login');
    expect(login.status).to.equal(200);
    const loggedIn = client.jar.get(SESSION_COOKIE) ?? '';
    expect(await whoIs(running, loggedIn)).to.deep.equal({ user: ANN, authenticated: true });
    const logout = await bounded(client.post('/auth/logout'), 'POST /auth/logout');
    expect(logout.status).to.equal(200);
    expect(logout.json).to.include({ loggedOut: true, revoked: true });
    expectCleared(logout.setCookies);
    expect(await whoIs(running, loggedIn), 'the cookie from before the logout').to.deep.equal(ANONYMOUS);
    await expectAlive(running);
  });
});
