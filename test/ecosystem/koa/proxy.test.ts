import { expect } from 'chai';
import { session } from '@sessionware/koa';
import {
  bounded, dataRoutes, describeOnBackends, expectAlive, expectCleared, INDICATOR_COOKIE, koaApp, logoutRouterOf,
  SESSION_COOKIE, type Harness, type Running,
} from './support.js';

/**
 * SPEC C4 (contract v2), C1, L1: whether a request is HTTPS is Koa's answer (`ctx.secure`
 * under `app.proxy`), not a second setting of sessionware. With `app.proxy = true` and
 * `X-Forwarded-Proto: https` both cookies are Secure, and so are the clearing ones at logout;
 * with `app.proxy = false` the header is ignored, as Koa ignores it.
 */

const CASES = [
  { proxy: true, forwarded: 'https', secure: true },
  { proxy: true, forwarded: 'https, http', secure: true },
  { proxy: true, forwarded: 'http', secure: false },
  { proxy: true, forwarded: undefined, secure: false },
  { proxy: false, forwarded: 'https', secure: false },
] as const;

describeOnBackends('HTTPS behind a proxy is Koa\'s answer (SPEC C4 v2)', (harness: Harness) => {
  async function start(proxy: boolean): Promise<Running> {
    const test = koaApp({ proxy });
    const sessions = session(await harness.options());
    test.app.use(sessions);
    test.app.use(dataRoutes());
    return harness.start(test);
  }

  for (const { proxy, forwarded, secure } of CASES) {
    const header = forwarded === undefined ? 'no X-Forwarded-Proto' : `X-Forwarded-Proto: ${forwarded}`;
    it(`app.proxy = ${proxy}, ${header}: cookies ${secure ? 'are' : 'are not'} Secure, as ctx.secure says (C4 v2, C1)`, async () => {
      const running = await start(proxy);
      const client = running.client();
      const headers: Record<string, string> = forwarded === undefined ? {} : { 'x-forwarded-proto': forwarded };
      const reply = await bounded(client.post('/set/a/1', { headers }), 'POST /set/a/1');
      expect(reply.status).to.equal(200);
      for (const name of [SESSION_COOKIE, INDICATOR_COOKIE]) {
        const cookie = reply.cookie(name);
        expect(cookie, `Set-Cookie ${name}`).to.not.equal(undefined);
        expect(cookie?.attributes['secure'] === true, `${name} Secure`).to.equal(secure);
      }
      const data = await bounded(client.get('/data', { headers }), 'GET /data');
      expect(data.json, 'the session afterwards').to.deep.equal({ data: { a: '1' } });
      await expectAlive(running);
    });
  }

  it('app.proxy = true, X-Forwarded-Proto: https: the logout clears both cookies with Secure, as they were set (C4 v2, C1, L1)', async () => {
    const test = koaApp({ proxy: true });
    const sessions = session(await harness.options());
    test.app.use(sessions);
    test.app.use(logoutRouterOf(sessions));
    test.app.use(dataRoutes());
    const running = await harness.start(test);
    const client = running.client();
    const headers = { 'x-forwarded-proto': 'https' };
    expect((await bounded(client.post('/set/a/1', { headers }), 'POST /set/a/1')).status).to.equal(200);
    const logout = await bounded(client.post('/auth/logout', { headers }), 'POST /auth/logout');
    expect(logout.status).to.equal(200);
    expectCleared(logout.setCookies);
    for (const name of [SESSION_COOKIE, INDICATOR_COOKIE]) {
      expect(logout.cookie(name)?.attributes['secure'], `clearing ${name} Secure`).to.equal(true);
    }
    expect((await bounded(client.get('/data', { headers }), 'GET /data')).json).to.deep.equal({ data: {} });
    await expectAlive(running);
  });
});
