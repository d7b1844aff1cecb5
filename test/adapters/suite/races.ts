import { expect } from 'chai';
import { isClearing } from '@sessionware/test-support';
import { expectBothCleared, expectCookiePair } from './cookies.js';
import { SESSION_COOKIE, type Harness, type TestApp, type TestAppOptions } from './harness.js';

/**
 * Races around a login and a logout (SPEC T8 contract v2, L2): each one is forced with a gate
 * on a store method, so the interleaving is the same on every run.
 */
export function raceTests(h: Harness): void {
  describe('races around login and logout (T8 v2, L2)', () => {
    const started: TestApp[] = [];
    const start = async (options?: TestAppOptions): Promise<TestApp> => {
      const app = await h.start(options);
      started.push(app);
      return app;
    };
    afterEach(() => {
      // A failed test must leave no request waiting at a gate.
      for (const app of started.splice(0)) app.store.releaseAll();
    });

    it('T8 v2: a write acknowledged on the old id while a login is in flight is in the new session', async () => {
      const app = await start();
      const client = app.client();
      await client.post('/set', { json: { base: 1 } });
      const oldCookie = client.cookieHeader();
      const gate = app.store.pause('replace');
      const login = client.post('/login', { json: {} });
      await gate.reached;
      const write = await client.post('/set', { json: { cart: ['book'] }, cookieHeader: oldCookie });
      expect(write.status, 'the write on the old id').to.equal(200);
      gate.release();
      expect((await login).status).to.equal(200);
      expect((await client.get('/read')).json).to.deep.equal({ data: { base: 1, who: 'ann', cart: ['book'] } });
    });

    it('T8 v2: a write that reaches the store after a login replaced its session is refused (409), not acknowledged and lost', async () => {
      const app = await start();
      const client = app.client();
      await client.post('/set', { json: { base: 1 } });
      const oldCookie = client.cookieHeader();
      const gate = app.store.pause('update');
      const write = client.post('/set', { json: { cart: ['book'] }, cookieHeader: oldCookie });
      await gate.reached;
      expect((await client.post('/login', { json: {} })).status).to.equal(200);
      const newCookie = client.cookieHeader();
      gate.release();
      const refused = await write;
      expect(refused.status).to.equal(409);
      expect(refused.json).to.deep.equal({ error: 'ERR_SESSION_CONFLICT' });
      expect((await client.get('/read', { cookieHeader: newCookie })).json).to.deep.equal({ data: { base: 1, who: 'ann' } });
    });

    it('T8 v2: a write racing a logout is refused (409) and the session stays destroyed', async () => {
      const app = await start();
      const client = app.client();
      await client.post('/set', { json: { base: 1 } });
      const oldCookie = client.cookieHeader();
      const gate = app.store.pause('update');
      const write = client.post('/set', { json: { late: true }, cookieHeader: oldCookie });
      await gate.reached;
      expect((await client.post('/auth/logout', { cookieHeader: oldCookie })).status).to.equal(200);
      gate.release();
      expect((await write).status).to.equal(409);
      expect(await app.sessionCount()).to.equal(0);
      expect((await client.get('/read', { cookieHeader: oldCookie })).json).to.deep.equal({ data: {} });
    });

    for (const [form, path, body] of [['regenerate()', '/login', {}], ['login()', '/login-user', { userId: 'u1' }]] as const) {
      it(`T8 v2: a login by ${form} racing a logout logs in on a fresh session without the destroyed data, never "logged in" with cleared cookies`, async () => {
        const app = await start();
        app.users.set('u1', { name: 'Ann' });
        const client = app.client();
        await client.post('/set', { json: { cart: ['book'] } });
        const oldCookie = client.cookieHeader();
        const gate = app.store.pause('replace');
        const login = client.post(path, { json: body });
        await gate.reached;
        const logout = await client.post('/auth/logout', { cookieHeader: oldCookie });
        expect(logout.status).to.equal(200);
        expectBothCleared(logout);
        gate.release();
        const answered = await login;
        expect(answered.status).to.equal(200);
        const [cookie] = expectCookiePair(answered);
        expect(isClearing(cookie), 'a live cookie, not a clearing one').to.equal(false);
        const fresh = `${SESSION_COOKIE}=${cookie.value}`;
        const data = (await client.get('/read', { cookieHeader: fresh })).json as { data: Record<string, unknown> };
        expect(data.data, 'the destroyed session\'s data').to.not.have.property('cart');
        if (form === 'login()') expect((await client.get('/me', { cookieHeader: fresh })).json).to.deep.equal({ userId: 'u1', user: { name: 'Ann' } });
        else expect(data.data).to.deep.equal({ who: 'ann' });
        expect(await app.sessionCount()).to.equal(1);
        expect((await client.get('/read', { cookieHeader: oldCookie })).json).to.deep.equal({ data: {} });
      });
    }

    for (const path of ['/auth/logout', '/auth/logout-all']) {
      it(`L2 v2: ${path} during a store stall answers within one store bound, not one per store call`, async () => {
        const bound = 400;
        const app = await start({ storeTimeout: bound, logout: { beforeLogout: () => new Promise(() => undefined) } });
        app.users.set('u1', { name: 'Ann' });
        const client = app.client();
        await client.post('/login-user', { json: { userId: 'u1' } });
        app.store.hangs.add('destroy');
        app.store.hangs.add('revokeUserSessions');
        const started = performance.now();
        const reply = await client.post(path, { json: {} });
        const elapsed = performance.now() - started;
        expect(reply.status).to.equal(200);
        expect(reply.json).to.deep.include({ loggedOut: true, revoked: false });
        expectBothCleared(reply);
        expect(elapsed, 'milliseconds to answer').to.be.below(bound * 1.5);
      });
    }
  });
}
