import { expect } from 'chai';
import { elapse, type Client } from '@sessionware/test-support';
import { expectBothCleared, expectCookiePair } from './cookies.js';
import { decodeToken, SESSION_COOKIE, type Harness, type TestApp, type TestAppOptions } from './harness.js';

/** Short enough to wait for, long enough that a request right after a renewal is within the grace. */
const INTERVAL = 400;
const GRACE = 250;
const RENEWAL: TestAppOptions = { renewalInterval: INTERVAL, renewalGrace: GRACE };
const ANN = { id: 'u-ann', name: 'Ann' };

/** The session id a client's jar names. */
function sessionIdOf(client: Client): string {
  return decodeToken(client.jar.get(SESSION_COOKIE) ?? '').payload['sid'] as string;
}

/** An app with renewal on and Ann, a client logged in as her with data `a`, and the cookie before any renewal. */
async function loggedIn(h: Harness, started: TestApp[]): Promise<{ app: TestApp; client: Client; oldCookie: string; oldId: string }> {
  const app = await h.start(RENEWAL);
  started.push(app);
  app.users.set(ANN.id, ANN);
  const client = app.client();
  expect((await client.post('/login-user', { json: { userId: ANN.id }, headers: { 'user-agent': 'renewal-agent' } })).status).to.equal(200);
  expect((await client.post('/set', { json: { a: 1 } })).status).to.equal(200);
  return { app, client, oldCookie: client.cookieHeader(), oldId: sessionIdOf(client) };
}

/** Renewal (SPEC P2) over HTTP, and its races, each forced with a gate. */
export function renewalTests(h: Harness): void {
  describe('renewal timeout (P2)', () => {
    const started: TestApp[] = [];
    afterEach(() => {
      for (const app of started.splice(0)) app.store.releaseAll();
    });

    it('P2, C1, U4: after renewalInterval the next request gets a new id, both cookies re-issued; data, user, handle and deadlines kept', async () => {
      const { app, client, oldId } = await loggedIn(h, started);
      const before = await app.store.inner.load(oldId, { now: Date.now(), idleTimeoutMs: 60_000 });
      const [listed] = ((await client.get('/my-sessions')).json as { sessions: Array<{ handle: string }> }).sessions;
      await elapse(INTERVAL);
      app.store.reset();
      const renewing = await client.get('/me');
      expect(renewing.json).to.deep.equal({ userId: ANN.id, user: ANN });
      expectCookiePair(renewing);
      expect(app.store.methods(), 'one store call more, on this request only').to.deep.equal(['load', 'renew']);
      const newId = sessionIdOf(client);
      expect(newId).to.not.equal(oldId);
      app.store.reset();
      expect((await client.get('/read')).json).to.deep.equal({ data: { a: 1 } });
      expect(app.store.methods(), 'the next request').to.deep.equal(['load']);
      const { sessions } = (await client.get('/my-sessions')).json as { sessions: Array<{ handle: string; current: boolean; userAgent: string }> };
      expect(sessions.map(({ handle, current, userAgent }) => ({ handle, current, userAgent }))).to.deep.equal([{ handle: listed?.handle, current: true, userAgent: 'renewal-agent' }]);
      const after = await app.store.inner.load(newId, { now: Date.now(), idleTimeoutMs: 60_000 });
      expect(after?.createdAt, 'createdAt').to.equal(before?.createdAt);
      expect(after?.absoluteExpiresAt, 'the absolute deadline').to.equal(before?.absoluteExpiresAt);
      expect(after?.renewedAt).to.be.a('number');
    });

    it('P2: an anonymous session is never renewed, however old its id', async () => {
      const app = await h.start(RENEWAL);
      started.push(app);
      const client = app.client();
      await client.post('/set', { json: { a: 1 } });
      const id = sessionIdOf(client);
      await elapse(INTERVAL);
      app.store.reset();
      const reply = await client.get('/read');
      expect(reply.json).to.deep.equal({ data: { a: 1 } });
      expect(reply.setCookies).to.deep.equal([]);
      expect(app.store.methods()).to.deep.equal(['load']);
      expect(sessionIdOf(client)).to.equal(id);
    });

    it('P2: within the grace the old cookie still works and is answered with the new cookie, at no store cost; after it, the old cookie is anonymous', async () => {
      const { app, client, oldCookie } = await loggedIn(h, started);
      await elapse(INTERVAL);
      await client.get('/me');
      const newId = sessionIdOf(client);
      app.store.reset();
      const late = await client.get('/me', { cookieHeader: oldCookie });
      expect(late.json).to.deep.equal({ userId: ANN.id, user: ANN });
      expect(app.store.methods(), 'only the load').to.deep.equal(['load']);
      const [cookie] = expectCookiePair(late);
      expect(decodeToken(cookie.value).payload['sid'], 'the current id').to.equal(newId);
      await elapse(GRACE);
      const dead = await client.get('/me', { cookieHeader: oldCookie });
      expect(dead.json).to.deep.equal({ userId: null, user: null });
      expectBothCleared(dead);
      expect((await client.get('/read', { cookieHeader: `${SESSION_COOKIE}=${cookie.value}` })).json, 'the renewed session lives on').to.deep.equal({ data: { a: 1 } });
    });

    it('P2, L1, L5: a logout with the old cookie during the grace ends the renewed session', async () => {
      const { client, oldCookie } = await loggedIn(h, started);
      await elapse(INTERVAL);
      await client.get('/me');
      const newCookie = client.cookieHeader();
      const logout = await client.post('/auth/logout', { cookieHeader: oldCookie });
      expect(logout.json).to.deep.include({ loggedOut: true, revoked: true });
      expectBothCleared(logout);
      expect((await client.get('/me', { cookieHeader: newCookie })).json, 'the new cookie').to.deep.equal({ userId: null, user: null });
      expect((await client.get('/me', { cookieHeader: oldCookie })).json, 'the old cookie').to.deep.equal({ userId: null, user: null });
    });

    it('P2, T8: two requests with the same due cookie at once end on one new id, with the writes of both', async () => {
      const { app, client, oldCookie } = await loggedIn(h, started);
      await elapse(INTERVAL);
      const gate = app.store.pause('renew');
      const first = client.post('/set', { json: { b: 2 }, cookieHeader: oldCookie });
      await gate.reached;
      const secondReached = app.store.reached('renew');
      const second = client.post('/set', { json: { c: 3 }, cookieHeader: oldCookie });
      await secondReached;
      gate.release();
      const replies = await Promise.all([first, second]);
      const ids = replies.map((reply) => {
        expect(reply.status).to.equal(200);
        return decodeToken(expectCookiePair(reply)[0].value).payload['sid'];
      });
      expect(ids[0], 'one session, not a fork').to.equal(ids[1]);
      expect((await client.get('/read')).json).to.deep.equal({ data: { a: 1, b: 2, c: 3 } });
      expect(((await client.get('/my-sessions')).json as { sessions: unknown[] }).sessions).to.have.length(1);
    });

    it('P2, T8: a write by a request that loaded the old id before another request renewed it lands in the renewed session', async () => {
      const { app, client, oldCookie } = await loggedIn(h, started);
      await elapse(INTERVAL);
      const held = app.hold('slow');
      const slow = client.post('/held-set', { json: { gate: 'slow', key: 'late', value: 'kept' }, cookieHeader: oldCookie });
      await held.reached;
      const renewing = await client.get('/me', { cookieHeader: oldCookie });
      const newCookie = `${SESSION_COOKIE}=${expectCookiePair(renewing)[0].value}`;
      held.release();
      const reply = await slow;
      expect(reply.status, 'not refused').to.equal(200);
      expect((await client.get('/read', { cookieHeader: newCookie })).json, 'not lost').to.deep.equal({ data: { a: 1, late: 'kept' } });
    });

    it('P2, T8, L1: a renewal racing a logout never brings the session back: the write is refused (409), the session stays ended', async () => {
      const { app, client, oldCookie } = await loggedIn(h, started);
      await elapse(INTERVAL);
      const gate = app.store.pause('renew');
      const write = client.post('/set', { json: { late: true }, cookieHeader: oldCookie });
      await gate.reached;
      expect((await client.post('/auth/logout', { cookieHeader: oldCookie })).json).to.deep.include({ loggedOut: true, revoked: true });
      gate.release();
      const refused = await write;
      expect(refused.status).to.equal(409);
      expectBothCleared(refused);
      expect(await app.sessionCount()).to.equal(0);
      expect((await client.get('/me', { cookieHeader: oldCookie })).json).to.deep.equal({ userId: null, user: null });
    });

    it('P2, L1, L5: a logout that loaded the old id before another request renewed it still ends the renewed session', async () => {
      const { app, client, oldCookie } = await loggedIn(h, started);
      await elapse(INTERVAL);
      const gate = app.store.pause('destroy');
      const logout = client.post('/auth/logout', { cookieHeader: oldCookie });
      await gate.reached;
      const renewing = await client.get('/me', { cookieHeader: oldCookie });
      const newCookie = `${SESSION_COOKIE}=${expectCookiePair(renewing)[0].value}`;
      gate.release();
      expect((await logout).json).to.deep.include({ loggedOut: true, revoked: true });
      expect((await client.get('/me', { cookieHeader: newCookie })).json, 'the renewed session').to.deep.equal({ userId: null, user: null });
      expect(await app.sessionCount(), 'only the pointer may be left, for its grace').to.be.at.most(1);
    });
    it('P2, U4: a request that loaded the old id before another renewed it still sees its session as current, and revoking the others keeps it', async () => {
      const { app, client, oldCookie } = await loggedIn(h, started);
      const phone = app.client();
      expect((await phone.post('/login-user', { json: { userId: ANN.id } })).status).to.equal(200);
      await elapse(INTERVAL);
      const listGate = app.store.pause('listUserSessions');
      const revokeGate = app.store.pause('revokeUserSessions');
      // Both load the old id, then wait at the store while a third request renews it.
      const listing = client.get('/my-sessions', { cookieHeader: oldCookie });
      const revoking = client.post('/revoke-others', { json: {}, cookieHeader: oldCookie });
      await Promise.all([listGate.reached, revokeGate.reached]);
      const renewing = await client.get('/me', { cookieHeader: oldCookie });
      const newCookie = `${SESSION_COOKIE}=${expectCookiePair(renewing)[0].value}`;
      listGate.release();
      const { sessions } = (await listing).json as { sessions: Array<{ current: boolean }> };
      expect(sessions.map((entry) => entry.current).sort(), 'its own session is current').to.deep.equal([false, true]);
      revokeGate.release();
      expect((await revoking).json, 'only the other session revoked').to.deep.equal({ count: 1 });
      expect((await client.get('/me', { cookieHeader: newCookie })).json, 'the renewed session kept').to.deep.nested.include({ userId: ANN.id });
      expect((await phone.get('/me')).json, 'the other session revoked').to.deep.equal({ userId: null, user: null });
    });
  });
}
