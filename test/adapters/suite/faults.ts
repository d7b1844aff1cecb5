import { expect } from 'chai';
import { expectBothCleared } from './cookies.js';
import { SESSION_COOKIE, type Harness } from './harness.js';

export function faultTests(h: Harness): void {
  describe('faults and bad input (F1, F3, F5)', () => {
    it('F1: a failing store answers 503 through the error path, and routes that never use the session still work', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/login', { json: {} });
      app.store.failures.load = new Error('ECONNREFUSED');
      expect((await client.get('/peek')).status).to.equal(503);
      expect((await client.get('/peek')).json).to.deep.equal({ error: 'ERR_SESSION_STORE' });
      expect((await client.get('/ping')).status).to.equal(200);
      delete app.store.failures.load;
      app.store.failures.update = new Error('READONLY');
      const write = await client.post('/set', { json: { a: 1 } });
      expect(write.status).to.equal(503);
      expect(write.setCookies).to.deep.equal([]);
    });

    it('F1, F2: a store that does not answer yields 503 within the bound, and the app recovers without a restart', async () => {
      const app = await h.start({ storeTimeout: 200 });
      const client = app.client();
      await client.post('/login', { json: {} });
      app.store.hangs.add('load');
      const started = Date.now();
      expect((await client.get('/peek')).status).to.equal(503);
      expect(Date.now() - started).to.be.below(1500);
      app.store.hangs.delete('load');
      expect((await client.get('/peek')).json).to.deep.include({ user: 'ann' });
    });

    it('F3: malformed, oversized, duplicated or hostile Cookie headers never cause a 5xx', async () => {
      const app = await h.start();
      const client = app.client();
      const token = (await client.post('/login', { json: {} })).cookie(SESSION_COOKIE)!.value;
      const headers = [
        `${SESSION_COOKIE}=${'A'.repeat(7000)}`,
        `${SESSION_COOKIE}=%E0%A4%A`,
        `${SESSION_COOKIE}=%`,
        `${SESSION_COOKIE}=a; ${SESSION_COOKIE}=${token}`,
        `${SESSION_COOKIE}=${token}; ${SESSION_COOKIE}=b`,
        `${SESSION_COOKIE}="${token}"`,
        `${SESSION_COOKIE}=${token}x`,
        `${SESSION_COOKIE}=${token}.${token}`,
        `${SESSION_COOKIE}`,
        `=${token}`,
        ';;;;;;',
        '====',
        `${SESSION_COOKIE}=\u00ff\u00fe`,
        Array.from({ length: 300 }, (_, i) => `c${i}=${i}`).join('; '),
        `__proto__=1; constructor=2; ${SESSION_COOKIE}.active=1`,
        `${SESSION_COOKIE}=${token.split('.').reverse().join('.')}`,
      ];
      for (const cookieHeader of headers) {
        const reply = await client.get('/peek', { cookieHeader });
        expect(reply.status, cookieHeader.slice(0, 60)).to.be.below(500);
      }
    });

    it('F5: session ids and cookie values never appear in logs, reports or error bodies', async () => {
      const app = await h.start({ storeTimeout: 150, logout: { beforeLogout: () => { throw new Error('hook failed'); } } });
      const client = app.client();
      const token = (await client.post('/login', { json: {} })).cookie(SESSION_COOKIE)!.value;
      const sid = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid as string;
      const bodies: string[] = [];
      app.store.failures.load = new Error('load failed');
      bodies.push((await client.get('/peek')).body);
      delete app.store.failures.load;
      app.store.hangs.add('update');
      bodies.push((await client.post('/set', { json: { a: 1 } })).body);
      app.store.failures.destroy = new Error('destroy failed');
      const logout = await client.post('/auth/logout');
      bodies.push(logout.body);
      expectBothCleared(logout);
      const everything = [
        ...bodies,
        ...app.logs,
        ...app.reports.flatMap((r) => [r.error.message, String(r.error.stack), JSON.stringify(r.report)]),
      ].join('\n');
      expect(app.reports.length).to.be.greaterThan(0);
      expect(everything).to.not.include(sid);
      expect(everything).to.not.include(token);
      expect(everything).to.not.include(token.split('.')[2]!);
    });
  });
}
