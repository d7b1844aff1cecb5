import { expect } from 'chai';
import { elapse } from '@sessionware/test-support';
import { expectBothCleared, expectCookiePair } from './cookies.js';
import { decodeToken, SESSION_COOKIE, type Harness } from './harness.js';

export function lifecycleTests(h: Harness): void {
  describe('store, timeouts and lifecycle (T1–T4, T6–T8)', () => {
    it('T1: session ids carry 256 random bits (43 base64url characters) and never repeat', async () => {
      const app = await h.start();
      const ids = new Set<string>();
      for (let i = 0; i < 20; i += 1) {
        const token = (await app.client().post('/login', { json: {} })).cookie(SESSION_COOKIE)!.value;
        const sid = decodeToken(token).payload['sid'] as string;
        expect(sid).to.match(/^[A-Za-z0-9_-]{43}$/);
        ids.add(sid);
      }
      expect(ids.size).to.equal(20);
    });

    it('T2: each loading request slides the idle deadline in the same store call as the load', async () => {
      const app = await h.start({ idleTimeout: 400 });
      const client = app.client();
      await client.post('/login', { json: {} });
      for (let i = 0; i < 5; i += 1) {
        await elapse(200);
        app.store.reset();
        expect((await client.get('/peek')).json, `request ${i}`).to.deep.include({ user: 'ann' });
        expect(app.store.methods()).to.deep.equal(['load']);
      }
    });

    it('T3: a request that never writes creates no record and sets no cookie', async () => {
      const app = await h.start();
      const client = app.client();
      for (const path of ['/ping', '/peek', '/read']) {
        const reply = await client.get(path);
        expect(reply.setCookies, path).to.deep.equal([]);
      }
      expect(app.store.methods()).to.deep.equal([]);
      expect(await app.sessionCount()).to.equal(0);
    });

    it('T4: an unmodified request writes nothing beyond the slide; a change writes only its key', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { a: 1, b: { deep: [1, 2] } } });
      app.store.reset();
      await client.get('/read');
      await client.post('/set', { json: { a: 1 } });
      expect(app.store.methods(), 'no write for unchanged values').to.deep.equal(['load', 'load']);
      app.store.reset();
      await client.post('/set', { json: { a: 2 } });
      expect(app.store.calls[1]).to.deep.equal({ method: 'update', changes: { set: { a: '2' }, unset: [] } });
      app.store.reset();
      await client.post('/unset', { json: { keys: ['b'] } });
      expect(app.store.calls[1]).to.deep.equal({ method: 'update', changes: { set: {}, unset: ['b'] } });
    });

    it('T4: an in-place change of a nested value is detected and written as that key only', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { other: 'x' } });
      await client.post('/push', { json: { item: 'first' } });
      app.store.reset();
      await client.post('/push', { json: { item: 'second' } });
      expect(app.store.calls[1]).to.deep.equal({ method: 'update', changes: { set: { list: '["first","second"]' }, unset: [] } });
      expect((await client.get('/read')).json).to.deep.equal({ data: { other: 'x', list: ['first', 'second'] } });
    });

    it('T6: login gives a new id, carries the data over and invalidates the old cookie at once', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { counter: 7 } });
      const before = client.cookieHeader();
      const oldSid = decodeToken(client.jar.get(SESSION_COOKIE)!).payload['sid'];
      app.store.reset();
      const login = await client.post('/login', { json: {} });
      expect(app.store.methods()).to.deep.equal(['load', 'replace']);
      const [cookie] = expectCookiePair(login);
      expect(decodeToken(cookie.value).payload['sid']).to.not.equal(oldSid);
      expect((await client.get('/peek')).json).to.deep.equal({ user: 'ann', counter: 7 });
      const replay = await client.get('/peek', { cookieHeader: before });
      expect(replay.json).to.deep.equal({ user: null, counter: null });
      expectBothCleared(replay);
    });

    it('T7: a change is stored before the headers go out, so a followed redirect sees it', async () => {
      const app = await h.start();
      app.store.delays.update = 150;
      app.store.delays.create = 150;
      const client = app.client();
      const created = await client.post('/set-then-redirect', { json: { key: 'step', value: 1 } });
      expect(created.status).to.equal(302);
      expect((await client.get(created.headers.get('location')!)).json).to.deep.equal({ data: { step: 1 } });
      const updated = await client.post('/set-then-redirect', { json: { key: 'step', value: 2 } });
      expect((await client.get(updated.headers.get('location')!)).json).to.deep.equal({ data: { step: 2 } });
    });

    it('T7: session.save() stores the change and sets the cookie before the handler answers', async () => {
      const app = await h.start();
      const client = app.client();
      const reply = await client.post('/save-early', { json: { key: 'early', value: true } });
      expect(reply.json).to.deep.equal({ saved: true });
      expectCookiePair(reply);
      expect(app.store.methods()).to.deep.equal(['create']);
      expect((await client.get('/read')).json).to.deep.equal({ data: { early: true } });
    });

    it('T8: two concurrent requests changing different keys both persist', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { base: 0 } });
      const [x, y] = [app.hold('x'), app.hold('y')];
      const both = Promise.all([
        client.post('/held-set', { json: { gate: 'x', key: 'x', value: 1 } }),
        client.post('/held-set', { json: { gate: 'y', key: 'y', value: 2 } }),
      ]);
      // Both requests have loaded the session before either commits.
      await Promise.all([x.reached, y.reached]);
      x.release();
      y.release();
      await both;
      expect((await client.get('/read')).json).to.deep.equal({ data: { base: 0, x: 1, y: 2 } });
    });

    it('T8: a key deleted by one request is not resurrected by a concurrent one', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { doomed: true, keep: 1 } });
      const held = app.hold('other');
      const slow = client.post('/held-set', { json: { gate: 'other', key: 'other', value: 2 } });
      // The slow request has read the session and waits in its handler while the unset commits.
      await held.reached;
      await client.post('/unset', { json: { keys: ['doomed'] } });
      held.release();
      await slow;
      expect((await client.get('/read')).json).to.deep.equal({ data: { keep: 1, other: 2 } });
    });

    it('T8: a session destroyed meanwhile is never resurrected by a concurrent write; the write is refused (409)', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/login', { json: {} });
      const cookie = client.cookieHeader();
      const held = app.hold('late');
      const pending = client.post('/held-set', { json: { gate: 'late', key: 'late', value: 1 } });
      // The slow request has loaded the session and waits in its handler while the destroy commits.
      await held.reached;
      await client.post('/destroy', { cookieHeader: cookie });
      held.release();
      const slow = await pending;
      expect(slow.status).to.equal(409);
      expect(await app.sessionCount()).to.equal(0);
      expect((await client.get('/peek', { cookieHeader: cookie })).json).to.deep.equal({ user: null, counter: null });
    });

    it('T6, T8: writes acknowledged on the old id while a login is in flight are in the new session; the login sends only its own changes', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { counter: 7, doomed: true } });
      const oldCookie = client.cookieHeader();
      const gate = app.store.pause('replace');
      try {
        app.store.reset();
        const login = client.post('/login', { json: {} });
        await gate.reached;
        // The login loaded the session and waits in its replace: two other requests write on the old id.
        const other = app.client();
        expect((await other.post('/set', { json: { cart: ['book'] }, cookieHeader: oldCookie })).status, 'set on the old id').to.equal(200);
        expect((await other.post('/unset', { json: { keys: ['doomed'] }, cookieHeader: oldCookie })).status, 'unset on the old id').to.equal(200);
        gate.release();
        expect((await login).status).to.equal(200);
      } finally {
        app.store.releaseAll();
      }
      expect(app.store.calls.find((call) => call.method === 'replace')).to.deep.equal({ method: 'replace', changes: { set: { who: '"ann"' }, unset: [] } });
      expect((await client.get('/read')).json).to.deep.equal({ data: { counter: 7, cart: ['book'], who: 'ann' } });
      expect((await client.get('/peek', { cookieHeader: oldCookie })).json, 'the old cookie').to.deep.equal({ user: null, counter: null });
    });

    it('T4, T6, T8: after a login stored by save(), a later change of that request writes only its key and keeps what another request wrote meanwhile', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { counter: 7 } });
      const oldCookie = client.cookieHeader();
      const gate = app.store.pause('replace');
      try {
        app.store.reset();
        const login = client.post('/login-save-set', { json: { key: 'late', value: 1 } });
        await gate.reached;
        expect((await app.client().post('/set', { json: { cart: ['book'] }, cookieHeader: oldCookie })).status, 'set on the old id').to.equal(200);
        gate.release();
        expect((await login).status).to.equal(200);
      } finally {
        app.store.releaseAll();
      }
      // A call is recorded when it starts: the login's replace, the other request's update, then the login's own.
      expect(app.store.calls.filter((call) => call.method !== 'load')).to.deep.equal([
        { method: 'replace', changes: { set: { who: '"ann"' }, unset: [] } },
        { method: 'update', changes: { set: { cart: '["book"]' }, unset: [] } },
        { method: 'update', changes: { set: { late: '1' }, unset: [] } },
      ]);
      expect((await client.get('/read')).json).to.deep.equal({ data: { counter: 7, cart: ['book'], who: 'ann', late: 1 } });
    });

    it('T5: after destroy(), new keys create a new record under a fresh id', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/login', { json: {} });
      const before = client.jar.get(SESSION_COOKIE)!;
      await client.post('/destroy');
      expect(client.jar.has(SESSION_COOKIE)).to.equal(false);
      await client.post('/set', { json: { fresh: true } });
      expect(client.jar.get(SESSION_COOKIE)).to.not.equal(before);
      expect((await client.get('/read')).json).to.deep.equal({ data: { fresh: true } });
    });
  });
}
