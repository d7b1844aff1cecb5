import { expect } from 'chai';
import { elapse } from '@sessionware/test-support';
import { expectBothCleared, expectCookiePair } from './cookies.js';
import { SESSION_COOKIE, type Harness, type TestApp } from './harness.js';

async function loggedIn(app: TestApp) {
  const client = app.client();
  const login = await client.post('/login', { json: {} });
  return { client, login, cookie: client.cookieHeader() };
}

export function logoutTests(h: Harness): void {
  describe('logout router (L1–L3, L5)', () => {
    it('L1: POST /logout destroys the server session and clears both cookies with the attributes they were set with', async () => {
      const app = await h.start({ cookie: { expiry: 'persistent', sameSite: 'strict', path: '/' } });
      const { client, login } = await loggedIn(app);
      const [setSession] = expectCookiePair(login);
      const reply = await client.post('/auth/logout', { headers: { accept: 'application/json' } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ loggedOut: true, revoked: true });
      expectBothCleared(reply);
      const cleared = reply.cookie(SESSION_COOKIE)!;
      for (const attribute of ['path', 'domain', 'secure', 'samesite', 'httponly']) {
        expect(cleared.attributes[attribute], attribute).to.equal(setSession.attributes[attribute]);
      }
      expect(await app.sessionCount()).to.equal(0);
    });

    it('L5: replaying the cookie after logout yields an anonymous request', async () => {
      const app = await h.start();
      const { client, cookie } = await loggedIn(app);
      await client.post('/auth/logout');
      const replay = await client.get('/peek', { cookieHeader: cookie });
      expect(replay.json).to.deep.equal({ user: null, counter: null });
      expectBothCleared(replay);
    });

    it('L2: logout answers 2xx and clears cookies with no cookie, a tampered cookie, an expired or an already destroyed session', async () => {
      const app = await h.start({ idleTimeout: 300 });
      const { client, cookie } = await loggedIn(app);
      const cases: Record<string, string | undefined> = {
        'no cookie': '',
        'tampered cookie': `${SESSION_COOKIE}=${client.jar.get(SESSION_COOKIE)!.slice(0, -2)}xx`,
      };
      for (const [label, cookieHeader] of Object.entries(cases)) {
        const reply = await client.post('/auth/logout', { cookieHeader: cookieHeader ?? '' });
        expect(reply.status, label).to.equal(200);
        expect(reply.json, label).to.deep.include({ loggedOut: true });
        expectBothCleared(reply);
      }
      await client.post('/auth/logout', { cookieHeader: cookie });
      const again = await client.post('/auth/logout', { cookieHeader: cookie });
      expect(again.status, 'already destroyed').to.equal(200);
      expectBothCleared(again);
      const second = await loggedIn(app);
      await elapse(450);
      const expired = await client.post('/auth/logout', { cookieHeader: second.cookie });
      expect(expired.status, 'expired').to.equal(200);
      expectBothCleared(expired);
    });

    it('L2: when the store throws, logout still answers 200, clears both cookies and reports the unrevoked record', async () => {
      const app = await h.start();
      const { client } = await loggedIn(app);
      app.store.failures.destroy = new Error('connection reset');
      const reply = await client.post('/auth/logout');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ loggedOut: true, revoked: false, errors: ['ERR_SESSION_STORE'] });
      expectBothCleared(reply);
      expect(app.reports.map((r) => [r.report.operation, r.error.code])).to.deep.equal([['logout', 'ERR_SESSION_STORE']]);
    });

    it('L2, F1: when the store does not answer, logout answers within the store timeout and clears both cookies', async () => {
      const app = await h.start({ storeTimeout: 200 });
      const { client } = await loggedIn(app);
      app.store.hangs.add('load');
      app.store.hangs.add('destroy');
      const started = Date.now();
      const reply = await client.post('/auth/logout');
      expect(Date.now() - started).to.be.below(1500);
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.include({ loggedOut: true, revoked: false });
      expectBothCleared(reply);
    });

    it('L2, F4: when beforeLogout throws, the user is logged out all the same and the failure is reported', async () => {
      const seen: unknown[] = [];
      const app = await h.start({
        logout: {
          beforeLogout: ({ session }) => {
            seen.push(session['who']);
            throw new Error('audit log down');
          },
        },
      });
      const { client } = await loggedIn(app);
      const reply = await client.post('/auth/logout');
      expect(seen).to.deep.equal(['ann']);
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ loggedOut: true, revoked: true, errors: ['ERR_SESSION_HOOK'] });
      expectBothCleared(reply);
      expect(await app.sessionCount()).to.equal(0);
      expect(app.reports.map((r) => r.report.operation)).to.deep.equal(['beforeLogout']);
    });

    it('L3: an HTML form post gets 303 See Other to the configured location', async () => {
      const app = await h.start({ logout: { redirectTo: '/goodbye' } });
      const { client } = await loggedIn(app);
      const reply = await client.post('/auth/logout', { form: {}, headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(reply.status).to.equal(303);
      expect(reply.headers.get('location')).to.equal('/goodbye');
      expectBothCleared(reply);
    });

    it('L3: methods other than POST get 405 with Allow: POST and change nothing', async () => {
      const app = await h.start();
      const { client } = await loggedIn(app);
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const reply = await client.request(method, '/auth/logout');
        expect(reply.status, method).to.equal(405);
        expect(reply.headers.get('allow'), method).to.equal('POST');
      }
      expect((await client.get('/peek')).json).to.deep.include({ user: 'ann' });
    });
  });
}
