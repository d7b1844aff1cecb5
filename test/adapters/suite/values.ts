import { expect } from 'chai';
import type { Harness } from './harness.js';

export function valueTests(h: Harness): void {
  describe('JSON-only session values (O2)', () => {
    it('O2: a route assigning a Date answers 500 {"error":"ERR_SESSION_DATA"} through the error path; nothing is written and the session is unchanged', async () => {
      const app = await h.start();
      const client = app.client();
      await client.post('/set', { json: { a: 1 } });
      app.store.reset();
      const reply = await client.post('/set-date', { json: { key: 'when' } });
      expect(reply.status).to.equal(500);
      expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_DATA' });
      expect(reply.setCookies).to.deep.equal([]);
      expect(app.store.methods(), 'the load only: no write').to.deep.equal(['load']);
      expect((await client.get('/read')).json).to.deep.equal({ data: { a: 1 } });
    });
  });
}
