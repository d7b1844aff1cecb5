import { expect } from 'chai';
import { logoutRouter, session } from '@sessionware/koa';
import {
  bounded, dataRoutes, dataSeenWith, describeOnBackends, expectAlive, expectCleared, INDICATOR_COOKIE, koaApp,
  logoutRouterOf, SESSION_COOKIE, type Harness,
} from './support.js';

/**
 * SPEC L6, L1, L5: the logout router in every mounting order. The router created from the
 * middleware (`sessions.logoutRouter()`) cannot be misordered: mounted after or before
 * `app.use(sessions)` it ends the server session. A standalone `logoutRouter()` that finds
 * no session of its own (mounted before `session()`, or without it) still answers 2xx, clears
 * the cookies it knows and says `revoked: false`: never a 5xx that leaves the user logged in.
 */

describeOnBackends('the logout router in every mounting order (SPEC L6)', (harness: Harness) => {
  for (const where of ['after', 'before'] as const) {
    it(`sessions.logoutRouter() mounted ${where} app.use(sessions): 200, revoked, both cookies cleared, the old cookie anonymous (L6, L1, L5)`, async () => {
      const test = koaApp();
      const sessions = session(await harness.options());
      if (where === 'before') test.app.use(logoutRouterOf(sessions)).use(sessions);
      else test.app.use(sessions).use(logoutRouterOf(sessions));
      test.app.use(dataRoutes());
      const running = await harness.start(test);
      const client = running.client();
      expect((await client.post('/set/a/1')).status).to.equal(200);
      const cookie = client.jar.get(SESSION_COOKIE) ?? '';
      const reply = await bounded(client.post('/auth/logout'), 'POST /auth/logout');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.include({ loggedOut: true, revoked: true });
      expectCleared(reply.setCookies);
      expect(await harness.count(), 'records after logout').to.equal(0);
      expect(await dataSeenWith(running, cookie), 'the old cookie').to.deep.equal({});
      await expectAlive(running);
    });
  }

  it('standalone logoutRouter() mounted before session(): 2xx, both cookies cleared, revoked: false (L6)', async () => {
    const test = koaApp();
    test.app.use(logoutRouter({ prefix: '/auth' }).routes());
    test.app.use(session(await harness.options()));
    test.app.use(dataRoutes());
    const running = await harness.start(test);
    const client = running.client();
    expect((await client.post('/set/a/1')).status).to.equal(200);
    const reply = await bounded(client.post('/auth/logout'), 'POST /auth/logout');
    expect(reply.status, reply.body).to.be.within(200, 299);
    expect(reply.json).to.include({ loggedOut: true, revoked: false });
    expectCleared(reply.setCookies);
    // This client is logged out: its jar no longer holds the cookies.
    expect(client.jar.size, 'cookies left in the jar').to.equal(0);
    expect((await bounded(client.get('/data'), 'GET /data')).json).to.deep.equal({ data: {} });
    await expectAlive(running);
  });

  it('standalone logoutRouter() without session(): 2xx, both cookies cleared, revoked: false (L6)', async () => {
    const test = koaApp();
    test.app.use(logoutRouter({ prefix: '/auth' }).routes());
    const running = await harness.start(test);
    const client = running.client();
    client.jar.set(SESSION_COOKIE, 'some.session.cookie');
    client.jar.set(INDICATOR_COOKIE, '1');
    const reply = await bounded(client.post('/auth/logout'), 'POST /auth/logout');
    expect(reply.status, reply.body).to.be.within(200, 299);
    expect(reply.json).to.include({ loggedOut: true, revoked: false });
    expectCleared(reply.setCookies);
    await expectAlive(running);
  });
});
