import { expect } from 'chai';
import type { Harness } from './harness.js';

export function limitTests(h: Harness): void {
  describe('bounded sessions (T10)', () => {
    it('T10: a PUT of a value past maxSessionBytes answers 413 through the error path, writes nothing, and the session is unchanged', async () => {
      const app = await h.start({ maxSessionBytes: 1_024 });
      const client = app.client();
      await client.post('/set', { json: { a: 1 } });
      app.store.reset();
      const reply = await client.request('PUT', '/data', { json: { key: 'note', value: 'x'.repeat(2_000) } });
      expect(reply.status).to.equal(413);
      expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_DATA' });
      expect(reply.setCookies).to.deep.equal([]);
      expect(app.store.methods(), 'the load only: no write').to.deep.equal(['load']);
      expect((await client.get('/read')).json).to.deep.equal({ data: { a: 1 } });
      const fits = await client.request('PUT', '/data', { json: { key: 'note', value: 'x'.repeat(900) } });
      expect(fits.status).to.equal(200);
      expect((await client.get('/read')).json).to.deep.equal({ data: { a: 1, note: 'x'.repeat(900) } });
    });

    it('T10, T3: with the default 64 KiB cap, a first PUT past it answers 413, creates no record and sets no cookie', async () => {
      const app = await h.start();
      const client = app.client();
      const reply = await client.request('PUT', '/data', { json: { key: 'v', value: 'x'.repeat(65_536) } });
      expect(reply.status).to.equal(413);
      expect(reply.setCookies).to.deep.equal([]);
      expect(app.store.methods()).to.deep.equal([]);
      expect(await app.sessionCount()).to.equal(0);
      expect((await client.request('PUT', '/data', { json: { key: 'v', value: 'x'.repeat(60_000) } })).status).to.equal(200);
      expect(await app.sessionCount()).to.equal(1);
    });
  });
}
