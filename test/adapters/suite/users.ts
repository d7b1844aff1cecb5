import { expect } from 'chai';
import { userSessions } from '@sessionware/core';
import type { Client } from '@sessionware/test-support';
import { expectBothCleared } from './cookies.js';
import { decodeToken, SESSION_COOKIE, type Harness, type TestApp } from './harness.js';

const ANN = { id: 'u-ann', email: 'ann@example.com', emailConfirmed: false };

async function loginAs(app: TestApp, userId: string, userAgent = 'suite-agent'): Promise<Client> {
  const client = app.client();
  const reply = await client.post('/login-user', { json: { userId }, headers: { 'user-agent': userAgent } });
  expect(reply.status, `login ${userId}`).to.equal(200);
  return client;
}

export function userTests(h: Harness): void {
  describe('users: login, refresh-on-change, per-user sessions (U1–U4, L4)', () => {
    it('U1: login caches the attributes from loadUser; the cookie carries no user id', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const client = app.client();
      const login = await client.post('/login-user', { json: { userId: ANN.id } });
      expect(login.json).to.deep.equal({ user: ANN });
      expect((await client.get('/me')).json).to.deep.equal({ userId: ANN.id, user: ANN });
      expect(app.loadUserCalls).to.deep.equal([ANN.id]);
      const token = client.jar.get(SESSION_COOKIE)!;
      expect(JSON.stringify(decodeToken(token))).to.not.include(ANN.id).and.not.include('ann@');
    });

    it('U2: after userChanged, every session of the user reloads before its handler; no re-login', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const [laptop, phone] = [await loginAs(app, ANN.id), await loginAs(app, ANN.id)];
      app.users.set(ANN.id, { ...ANN, emailConfirmed: true });
      await userSessions(app.store).userChanged(ANN.id);
      for (const [name, client] of [['laptop', laptop], ['phone', phone]] as const) {
        // The handler reads session.user first thing: it already sees the new value.
        expect((await client.get('/me')).json, name).to.deep.nested.include({ 'user.emailConfirmed': true });
      }
      expect(app.loadUserCalls).to.deep.equal([ANN.id, ANN.id, ANN.id, ANN.id]);
      app.store.reset();
      expect((await laptop.get('/me')).json).to.deep.nested.include({ 'user.emailConfirmed': true });
      expect(app.loadUserCalls, 'no reload without a new change').to.have.length(4);
      expect(app.store.methods(), 'the common path is one store call').to.deep.equal(['load']);
    });

    it('U3: loadUser answering null ends the session: anonymous, both cookies cleared, record gone', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const client = await loginAs(app, ANN.id);
      const cookie = client.cookieHeader();
      app.users.set(ANN.id, null);
      await userSessions(app.store).userChanged(ANN.id);
      const reply = await client.get('/me');
      expect(reply.json).to.deep.equal({ userId: null, user: null });
      expectBothCleared(reply);
      expect((await client.get('/me', { cookieHeader: cookie })).json).to.deep.equal({ userId: null, user: null });
      expect(await app.sessionCount()).to.equal(0);
    });

    it('F4, U2: a loadUser that throws fails that request with ERR_SESSION_HOOK, and the next one recovers', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const client = await loginAs(app, ANN.id);
      app.users.set(ANN.id, new Error('users database down'));
      await userSessions(app.store).userChanged(ANN.id);
      const failed = await client.get('/me');
      expect(failed.status).to.equal(500);
      expect(failed.json).to.deep.equal({ error: 'ERR_SESSION_HOOK' });
      expect((await client.get('/ping')).status, 'routes without the session still work').to.equal(200);
      app.users.set(ANN.id, { ...ANN, emailConfirmed: true });
      expect((await client.get('/me')).json).to.deep.nested.include({ 'user.emailConfirmed': true });
    });

    it('U1: login without a loadUser option fails with ERR_SESSION_CONFIG; loadUser answering null refuses the login', async () => {
      const withoutHook = await h.start({ loadUser: undefined });
      expect((await withoutHook.client().post('/login-user', { json: { userId: 'x' } })).json).to.deep.equal({ error: 'ERR_SESSION_CONFIG' });
      const app = await h.start();
      const reply = await app.client().post('/login-user', { json: { userId: 'nobody' } });
      expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_DATA' });
      expect(reply.setCookies).to.deep.equal([]);
    });

    it('U4, P3: listSessions shows the user\'s live sessions with creation, last use, user agent, last authentication and which is current', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const laptop = await loginAs(app, ANN.id, 'Laptop Browser');
      await loginAs(app, ANN.id, 'Phone Browser');
      const { sessions } = (await laptop.get('/my-sessions')).json as { sessions: Array<Record<string, unknown>> };
      expect(sessions).to.have.length(2);
      const current = sessions.filter((s) => s['current'] === true);
      expect(current).to.have.length(1);
      expect(current[0]!['userAgent']).to.equal('Laptop Browser');
      expect(sessions.map((s) => s['userAgent']).sort()).to.deep.equal(['Laptop Browser', 'Phone Browser']);
      for (const session of sessions) {
        expect(session).to.have.keys(['handle', 'createdAt', 'lastSeenAt', 'userAgent', 'authenticatedAt', 'current']);
        expect(session['handle']).to.be.a('string').and.not.include(decodeToken(laptop.jar.get(SESSION_COOKIE)!).payload['sid'] as string);
      }
      expect((await app.client().get('/my-sessions')).json).to.deep.equal({ error: 'ERR_SESSION_DATA' });
    });

    it('U4, L5: revoking one session ends it for its holder; revoking others keeps only the current one', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const [laptop, phone, tablet] = [await loginAs(app, ANN.id, 'L'), await loginAs(app, ANN.id, 'P'), await loginAs(app, ANN.id, 'T')];
      const phoneCookie = phone.cookieHeader();
      const { sessions } = (await laptop.get('/my-sessions')).json as { sessions: Array<{ handle: string; userAgent: string }> };
      const phoneHandle = sessions.find((s) => s.userAgent === 'P')!.handle;
      expect((await laptop.post('/revoke', { json: { handle: phoneHandle } })).json).to.deep.equal({ revoked: true });
      expect((await laptop.post('/revoke', { json: { handle: phoneHandle } })).json).to.deep.equal({ revoked: false });
      const replay = await phone.get('/me', { cookieHeader: phoneCookie });
      expect(replay.json).to.deep.equal({ userId: null, user: null });
      expectBothCleared(replay);
      expect((await laptop.post('/revoke-others')).json).to.deep.equal({ count: 1 });
      expect((await tablet.get('/me')).json).to.deep.equal({ userId: null, user: null });
      expect((await laptop.get('/me')).json).to.deep.include({ userId: ANN.id });
    });

    it('U4: revoking the current session by its handle logs this client out on the same response', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const laptop = await loginAs(app, ANN.id);
      const [{ handle }] = ((await laptop.get('/my-sessions')).json as { sessions: Array<{ handle: string }> }).sessions as [{ handle: string }];
      const reply = await laptop.post('/revoke', { json: { handle } });
      expect(reply.json).to.deep.equal({ revoked: true });
      expectBothCleared(reply);
    });

    it('L4, L5: POST /logout-all ends every session of the user and clears this client\'s cookies', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      app.users.set('u-bob', { id: 'u-bob' });
      const [laptop, phone] = [await loginAs(app, ANN.id), await loginAs(app, ANN.id)];
      const bob = await loginAs(app, 'u-bob');
      const laptopCookie = laptop.cookieHeader();
      const reply = await laptop.post('/auth/logout-all');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ loggedOut: true, revoked: true });
      expectBothCleared(reply);
      expect((await phone.get('/me')).json).to.deep.equal({ userId: null, user: null });
      expect((await laptop.get('/me', { cookieHeader: laptopCookie })).json).to.deep.equal({ userId: null, user: null });
      expect((await bob.get('/me')).json, 'another user keeps his session').to.deep.include({ userId: 'u-bob' });
    });

    it('L2, L4: logout-all answers 2xx and clears cookies when the store fails, reporting the unrevoked sessions', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const laptop = await loginAs(app, ANN.id);
      app.store.failures.revokeUserSessions = new Error('connection reset');
      const reply = await laptop.post('/auth/logout-all');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ loggedOut: true, revoked: false, errors: ['ERR_SESSION_STORE'] });
      expectBothCleared(reply);
    });

    it('U2, K4: userChanged from another process (its own userSessions on the shared store) reaches this app', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const client = await loginAs(app, ANN.id);
      const job = await h.start({ sharedStore: app.store });
      app.users.set(ANN.id, { ...ANN, email: 'new@example.com' });
      await userSessions(app.store.inner).userChanged(ANN.id);
      expect((await client.get('/me')).json).to.deep.nested.include({ 'user.email': 'new@example.com' });
      expect(job.url).to.be.a('string');
    });

    it('L2, L4: logout-all of a session the store could not load answers 2xx, clears cookies and says nothing was revoked', async () => {
      const app = await h.start({ storeTimeout: 200 });
      app.users.set(ANN.id, ANN);
      const [laptop, phone] = [await loginAs(app, ANN.id), await loginAs(app, ANN.id)];
      app.store.failures.load = new Error('connection reset');
      const reply = await laptop.post('/auth/logout-all');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.include({ loggedOut: true, revoked: false });
      expectBothCleared(reply);
      delete app.store.failures.load;
      expect((await phone.get('/me')).json, 'the other session was not revoked, and the reply said so').to.deep.include({ userId: ANN.id });
    });
  });
}
