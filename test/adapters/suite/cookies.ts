import { expect } from 'chai';
import { SessionConfigError } from '@sessionware/core';
import { elapse, isClearing, type Reply, type SetCookie } from '@sessionware/test-support';
import { INDICATOR_COOKIE, SESSION_COOKIE, type Harness } from './harness.js';

const SHARED_ATTRIBUTES = ['path', 'domain', 'secure', 'samesite', 'max-age', 'expires'];

/** Both cookies present, with identical attributes but HttpOnly (SPEC C1). */
export function expectCookiePair(reply: Reply, sessionName = SESSION_COOKIE, indicatorName = INDICATOR_COOKIE): [SetCookie, SetCookie] {
  const session = reply.cookie(sessionName);
  const indicator = reply.cookie(indicatorName);
  expect(session, 'session cookie').to.not.equal(undefined);
  expect(indicator, 'indicator cookie').to.not.equal(undefined);
  for (const attribute of SHARED_ATTRIBUTES) {
    expect(indicator!.attributes[attribute], attribute).to.equal(session!.attributes[attribute]);
  }
  expect(session!.attributes['httponly']).to.equal(true);
  expect(indicator!.attributes['httponly']).to.equal(undefined);
  expect(reply.setCookies).to.have.length(2);
  return [session!, indicator!];
}

/** Both cookies cleared on this response (SPEC C3, C5, L1). */
export function expectBothCleared(reply: Reply): void {
  const [session, indicator] = expectCookiePair(reply);
  expect(isClearing(session), 'session cookie cleared').to.equal(true);
  expect(isClearing(indicator), 'indicator cookie cleared').to.equal(true);
}

export function cookieTests(h: Harness): void {
  describe('cookies (C1–C5)', () => {
    it('C1: login sets exactly the session and indicator cookies with identical attributes', async () => {
      const app = await h.start();
      const reply = await app.client().post('/login', { json: {} });
      const [session, indicator] = expectCookiePair(reply);
      expect(indicator.value).to.equal('1');
      expect(session.value).to.not.include('ann');
    });

    it('C1, C2: persistent cookies are refreshed together with the same Max-Age and Expires', async () => {
      const app = await h.start({ cookie: { expiry: 'persistent' }, idleTimeout: '1h' });
      const client = app.client();
      expectCookiePair(await client.post('/login', { json: {} }));
      const refreshed = expectCookiePair(await client.get('/peek'));
      expect(Number(refreshed[0].attributes['max-age'])).to.be.within(3598, 3600);
    });

    it('C2: browser-session cookies (the default) carry neither Max-Age nor Expires', async () => {
      const app = await h.start();
      const [session, indicator] = expectCookiePair(await app.client().post('/login', { json: {} }));
      for (const cookie of [session, indicator]) {
        expect(cookie.attributes).to.not.have.property('max-age');
        expect(cookie.attributes).to.not.have.property('expires');
      }
    });

    it('C2: persistent Max-Age is the time left to the earlier deadline (absolute before idle)', async () => {
      const app = await h.start({ cookie: { expiry: 'persistent' }, idleTimeout: '2h', absoluteTimeout: '30m' });
      const [session] = expectCookiePair(await app.client().post('/login', { json: {} }));
      expect(Number(session.attributes['max-age'])).to.be.within(1798, 1800);
    });

    it('C2: persistent Max-Age never exceeds 400 days', async () => {
      const app = await h.start({ cookie: { expiry: 'persistent' }, idleTimeout: '500d', absoluteTimeout: '600d' });
      const [session] = expectCookiePair(await app.client().post('/login', { json: {} }));
      expect(Number(session.attributes['max-age'])).to.equal(400 * 86_400);
    });

    it('C2: a browser-session cookie is not re-sent on an unmodified request', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/login', { json: {} });
      const reply = await client.get('/peek');
      expect(reply.setCookies).to.deep.equal([]);
    });

    it('C3: a cookie replayed after the idle deadline is anonymous and both cookies are cleared', async () => {
      const app = await h.start({ idleTimeout: 300 });
      const client = app.client();
      await client.post('/login', { json: {} });
      await elapse(450);
      const reply = await client.get('/peek');
      expect(reply.json).to.deep.equal({ user: null, counter: null });
      expectBothCleared(reply);
    });

    it('C3: a cookie replayed after the absolute deadline is anonymous even with constant activity', async () => {
      const app = await h.start({ idleTimeout: 500, absoluteTimeout: 1000 });
      const client = app.client();
      await client.post('/login', { json: {} });
      const saved = client.cookieHeader();
      for (let i = 0; i < 3; i += 1) {
        await elapse(250);
        expect((await client.get('/peek')).json).to.deep.include({ user: 'ann' });
      }
      await elapse(400);
      const replay = await client.get('/peek', { cookieHeader: saved });
      expect(replay.json).to.deep.equal({ user: null, counter: null });
      expectBothCleared(replay);
    });

    it('C4: defaults are SameSite=Lax, Path=/, no Domain, and no Secure over plain HTTP', async () => {
      const app = await h.start();
      const [session] = expectCookiePair(await app.client().post('/login', { json: {} }));
      expect(session.attributes['samesite']).to.equal('Lax');
      expect(session.attributes['path']).to.equal('/');
      expect(session.attributes).to.not.have.property('domain');
      expect(session.attributes).to.not.have.property('secure');
    });

    it("C4: X-Forwarded-Proto makes cookies Secure only under the framework's own proxy trust (Express trust proxy, Koa app.proxy)", async () => {
      const headers = { 'x-forwarded-proto': 'https' };
      const untrusting = await h.start();
      const [plain] = expectCookiePair(await untrusting.client().post('/login', { json: {}, headers }));
      expect(plain.attributes).to.not.have.property('secure');
      const trusting = await h.start({ trustProxy: true });
      const [secure, indicator] = expectCookiePair(await trusting.client().post('/login', { json: {}, headers }));
      expect(secure.attributes['secure']).to.equal(true);
      expect(indicator.attributes['secure']).to.equal(true);
    });

    it('C4: a __Host- cookie name is always Secure with Path=/ and no Domain', async () => {
      const app = await h.start({ cookie: { name: '__Host-sid' } });
      const reply = await app.client().post('/login', { json: {} });
      const [session] = expectCookiePair(reply, '__Host-sid', '__Host-sid.active');
      expect(session.attributes).to.include({ secure: true, path: '/' });
      expect(session.attributes).to.not.have.property('domain');
    });

    it('C4: __Host- rules are validated when the middleware is created', async () => {
      for (const cookie of [
        { name: '__Host-sid', secure: false },
        { name: '__Host-sid', path: '/app' },
        { name: '__Host-sid', domain: 'example.com' },
      ]) {
        const thrown = await h.start({ cookie }).then(() => undefined, (error: unknown) => error);
        expect(thrown, JSON.stringify(cookie)).to.be.instanceOf(SessionConfigError);
        expect((thrown as Error).message).to.match(/option cookie\.(secure|path|domain) is invalid/);
      }
    });

    it('O3: a Secure-requiring cookie set on plain HTTP is warned about once, naming why and the fix; not under a trusted HTTPS proxy', async () => {
      const warning = /session cookie was set on a plain-HTTP request, but its name __Host-sid requires Secure.*trust proxy.*app\.proxy = true/;
      const plain = await h.start({ cookie: { name: '__Host-sid' } });
      for (let i = 0; i < 3; i += 1) expect((await plain.client().post('/login', { json: {} })).status).to.equal(200);
      expect(plain.logs.filter((line) => warning.test(line))).to.have.length(1);
      const proxied = await h.start({ cookie: { name: '__Host-sid' }, trustProxy: true });
      await proxied.client().post('/login', { json: {}, headers: { 'x-forwarded-proto': 'https' } });
      expect(proxied.logs.filter((line) => line.includes('plain-HTTP'))).to.deep.equal([]);
    });

    it('O3: SameSite=None without Secure and a __Secure- name without Secure are refused when the middleware is created', async () => {
      for (const [cookie, message] of [
        [{ sameSite: 'none', secure: false }, 'option cookie.secure is invalid: SameSite=None requires Secure'],
        [{ name: '__Secure-sid', secure: false }, 'option cookie.secure is invalid: __Secure-sid requires Secure'],
      ] as const) {
        const thrown = await h.start({ cookie }).then(() => undefined, (error: unknown) => error);
        expect(thrown, JSON.stringify(cookie)).to.be.instanceOf(SessionConfigError);
        expect((thrown as Error).message).to.equal(message);
      }
    });

    it('C5: an indicator cookie without a session is cleared on that response', async () => {
      const app = await h.start();
      const reply = await app.client().get('/ping', { cookieHeader: `${INDICATOR_COOKIE}=1` });
      expect(reply.status).to.equal(200);
      expect(isClearing(reply.cookie(INDICATOR_COOKIE)!)).to.equal(true);
    });

    it('C5: a live session whose indicator is missing gets both cookies re-issued', async () => {
      const app = await h.start();
      const client = app.client();
      const login = await client.post('/login', { json: {} });
      const token = login.cookie(SESSION_COOKIE)!.value;
      const reply = await client.get('/peek', { cookieHeader: `${SESSION_COOKIE}=${token}` });
      expect(reply.json).to.deep.include({ user: 'ann' });
      const [session, indicator] = expectCookiePair(reply);
      expect(session.value).to.equal(token);
      expect(indicator.value).to.equal('1');
      expect((await client.get('/peek')).setCookies).to.deep.equal([]);
    });
  });
}
