import { expect } from 'chai';
import { elapse, type Client, type Reply } from '@sessionware/test-support';
import { expectBothCleared, expectCookiePair } from './cookies.js';
import { INDICATOR_COOKIE, SESSION_COOKIE, type Harness, type TestApp, type TestAppOptions } from './harness.js';

const ANN = { id: 'u-ann', email: 'ann@example.com', emailConfirmed: false };

interface Peeked {
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  authenticatedAt: number | null;
}

async function loggedIn(h: Harness, options: TestAppOptions = {}, login: Record<string, unknown> = {}): Promise<{ app: TestApp; client: Client; reply: Reply }> {
  const app = await h.start(options);
  app.users.set(ANN.id, ANN);
  const client = app.client();
  const reply = await client.post('/login-user', { json: { userId: ANN.id, ...login } });
  expect(reply.status, 'login').to.equal(200);
  return { app, client, reply };
}

function maxAgeOf(reply: Reply): string | true | undefined {
  const [session] = expectCookiePair(reply);
  return session.attributes['max-age'];
}

async function peek(client: Client): Promise<Peeked> {
  const reply = await client.get('/auth/session');
  expect(reply.status, 'peek').to.equal(200);
  return reply.json as Peeked;
}

/** Remember me, step-up freshness and the peek (SPEC P1, P3, P5), over HTTP. */
export function policyTests(h: Harness): void {
  describe('policies: remember me, step-up, peek (P1, P3, P5)', () => {
    it('P1, C1: login with remember gives persistent cookies (both alike) whatever cookie.expiry says, with the remember timeouts', async () => {
      const { client, reply } = await loggedIn(h, { remember: { idleTimeout: '1h', absoluteTimeout: '2h' } }, { remember: true });
      expect(maxAgeOf(reply)).to.be.oneOf(['3599', '3600']);
      // Re-sent whenever the idle deadline slides (C2), still as the session's own mode.
      expect(maxAgeOf(await client.get('/me'))).to.be.oneOf(['3599', '3600']);
      expect((await peek(client)).absoluteExpiresAt - Date.now()).to.be.within(7_190_000, 7_200_000);
    });

    it('P1: login with remember: false gives browser-session cookies although cookie.expiry is persistent', async () => {
      const { client, reply } = await loggedIn(h, { cookie: { expiry: 'persistent' } }, { remember: false });
      expect(maxAgeOf(reply)).to.equal(undefined);
      const later = await client.get('/me');
      expect(later.setCookies, 'a browser-session cookie is not re-sent').to.deep.equal([]);
    });

    it('P1, T2: a remembered session keeps its own idle timeout server-side; a usual one beside it lives on', async () => {
      const options: TestAppOptions = { idleTimeout: '1h', remember: { idleTimeout: 250 } };
      const { app, client, reply: login } = await loggedIn(h, options, { remember: true });
      // Under a second left is Max-Age=0, which the jar (as a browser) drops: the cookie is replayed by hand.
      const cookieHeader = `${SESSION_COOKIE}=${login.cookie(SESSION_COOKIE)!.value}; ${INDICATOR_COOKIE}=1`;
      const usual = app.client();
      await usual.post('/login-user', { json: { userId: ANN.id } });
      await elapse(350);
      const reply = await client.get('/me', { cookieHeader });
      expect(reply.json).to.deep.equal({ userId: null, user: null });
      expectBothCleared(reply);
      expect((await usual.get('/me')).json).to.deep.nested.include({ userId: ANN.id });
    });

    it('P1: the choice is kept in the record: another instance with other options still sees a remembered session', async () => {
      const { app, client } = await loggedIn(h, { remember: { idleTimeout: '1h' } }, { remember: { idleTimeout: '2h' } });
      const other = await h.start({ sharedStore: app.store, remember: { idleTimeout: '5m' } });
      other.users.set(ANN.id, ANN);
      const reply = await client.get(`${other.url}/me`);
      expect(reply.json).to.deep.nested.include({ userId: ANN.id });
      expect(maxAgeOf(reply)).to.be.oneOf(['7199', '7200']);
    });

    it('P1: a bad login option fails that request (500 ERR_SESSION_DATA) and logs nobody in', async () => {
      const app = await h.start();
      app.users.set(ANN.id, ANN);
      const client = app.client();
      const reply = await client.post('/login-user', { json: { userId: ANN.id, remember: 'yes' } });
      expect(reply.status).to.equal(500);
      expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_DATA' });
      expect((await client.get('/me')).json).to.deep.equal({ userId: null, user: null });
    });

    it('P3: login records authenticatedAt; requireFresh passes while it is young and answers 401 ERR_SESSION_NOT_FRESH after, with no store call', async () => {
      const before = Date.now();
      const { app, client } = await loggedIn(h);
      const { authenticatedAt } = await peek(client);
      expect(authenticatedAt).to.be.within(before, Date.now());
      expect((await client.post('/sensitive', { json: { maxAge: 60_000 } })).status).to.equal(200);
      await elapse(30);
      app.store.reset();
      const stale = await client.post('/sensitive', { json: { maxAge: 10 } });
      expect(stale.status).to.equal(401);
      expect(stale.json).to.deep.equal({ error: 'ERR_SESSION_NOT_FRESH' });
      expect(app.store.methods(), 'the check reads the loaded record only').to.deep.equal(['load']);
    });

    it('P3: reauthenticated() makes the session fresh again, is stored, and shows in the listing', async () => {
      const { client } = await loggedIn(h);
      const first = (await peek(client)).authenticatedAt!;
      await elapse(30);
      const reply = await client.post('/reauthenticate', { json: {} });
      const at = (reply.json as { authenticatedAt: number }).authenticatedAt;
      expect(at).to.be.above(first);
      expect((await client.post('/sensitive', { json: { maxAge: 10_000 } })).status).to.equal(200);
      expect((await peek(client)).authenticatedAt).to.equal(at);
      const { sessions } = (await client.get('/my-sessions')).json as { sessions: Array<{ authenticatedAt: number | null }> };
      expect(sessions.map((s) => s.authenticatedAt)).to.deep.equal([at]);
    });

    it('P3: nobody logged in: requireFresh answers 401, reauthenticated() is a programming mistake (500)', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { cart: 1 } });
      expect((await client.post('/sensitive', { json: { maxAge: 60_000 } })).json).to.deep.equal({ error: 'ERR_SESSION_NOT_FRESH' });
      const reply = await client.post('/reauthenticate', { json: {} });
      expect(reply.status).to.equal(500);
      expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_DATA' });
    });

    it('P3, T6: regenerate() of a logged-in session keeps its absolute deadline and authenticatedAt', async () => {
      const { client } = await loggedIn(h);
      const before = await peek(client);
      const oldCookie = client.cookieHeader();
      await elapse(20);
      expect((await client.post('/login', { json: {} })).status).to.equal(200);
      expect(client.cookieHeader()).to.not.equal(oldCookie);
      const after = await peek(client);
      expect(after.absoluteExpiresAt).to.equal(before.absoluteExpiresAt);
      expect(after.authenticatedAt).to.equal(before.authenticatedAt);
    });

    it('P5: the peek answers the deadlines without sliding them: one peek store call, no cookie; a real request slides', async () => {
      const { app, client } = await loggedIn(h, { cookie: { expiry: 'persistent' } });
      const first = await peek(client);
      expect(first.absoluteExpiresAt).to.be.above(first.idleExpiresAt - 1);
      await elapse(25);
      app.store.reset();
      const reply = await client.get('/auth/session');
      expect(reply.json).to.deep.equal(first);
      expect(reply.setCookies, 'nothing refreshed').to.deep.equal([]);
      expect(reply.headers.get('cache-control')).to.equal('no-store');
      expect(app.store.methods()).to.deep.equal(['peek']);
      await client.get('/me');
      expect((await peek(client)).idleExpiresAt).to.be.above(first.idleExpiresAt);
    });

    it('P5, T2: peeks never keep a session alive: past its idle deadline it is gone (401, cookies cleared)', async () => {
      const { client } = await loggedIn(h, { idleTimeout: 300 });
      await elapse(150);
      await peek(client);
      await elapse(200);
      const reply = await client.get('/auth/session');
      expect(reply.status).to.equal(401);
      expect(reply.json).to.deep.equal({ error: 'no_session' });
      expectBothCleared(reply);
    });

    it('P5: without a session cookie the peek is 401 and touches no store; an anonymous session has authenticatedAt null', async () => {
      const app = await h.start();
      const client = app.client();
      const none = await client.get('/auth/session');
      expect(none.status).to.equal(401);
      expect(app.store.methods()).to.deep.equal([]);
      await client.post('/set', { json: { cart: 1 } });
      expect((await peek(client)).authenticatedAt).to.equal(null);
    });

    it('P5, L3: another method on the peek path gets 405 with Allow', async () => {
      const { client } = await loggedIn(h);
      const reply = await client.post('/auth/session', { json: {} });
      expect(reply.status).to.equal(405);
      expect(reply.headers.get('allow')).to.equal('GET, HEAD');
      expect((await client.get('/me')).json).to.deep.nested.include({ userId: ANN.id });
    });

    it('P5, F1: a store failure of the peek is a prompt 503 ERR_SESSION_STORE', async () => {
      const { app, client } = await loggedIn(h);
      app.store.failures.peek = new Error('store down');
      const reply = await client.get('/auth/session');
      expect(reply.status).to.equal(503);
      expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_STORE' });
    });
  });
}
