// SPEC P5 on Express: the peek is recognised by the middleware from the router's full path, so
// how the router is mounted decides whether the peek slides. Real Express apps on a real port.
import { createServer } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import { MemoryStore, session } from '@sessionware/express';
import { Client, listen, ObservedStore } from '@sessionware/test-support';

const SECRET = 'peek-mount-secret-7c1e9a3f5b2d4e6a8c0b1d3f5e7a9c2b';

type Mount = 'prefix' | 'prefix, before session()' | 'path';

async function start(mount: Mount): Promise<{ client: Client; store: ObservedStore; warnings: string[]; close(): Promise<void> }> {
  const store = new ObservedStore(new MemoryStore());
  const warnings: string[] = [];
  const app = express();
  const sessions = session({ secrets: [SECRET], env: {}, store, logger: { warn: (m) => warnings.push(m), error: () => undefined } });
  if (mount === 'prefix, before session()') app.use(sessions.logoutRouter({ prefix: '/auth' }));
  app.use(sessions);
  if (mount === 'prefix') app.use(sessions.logoutRouter({ prefix: '/auth' }));
  if (mount === 'path') app.use('/auth', sessions.logoutRouter());
  app.post('/set', (req, res) => {
    req.session['n'] = 1;
    res.json({ ok: true });
  });
  const server = await listen(createServer(app));
  const client = new Client(server.url);
  expect((await client.post('/set')).status).to.equal(200);
  store.reset();
  return { client, store, warnings, close: () => server.close() };
}

describe('Express: how the logout router is mounted decides whether the peek slides (P5)', () => {
  for (const mount of ['prefix', 'prefix, before session()'] as const) {
    it(`P5: mounted at the root with its prefix (${mount}), the peek reads without sliding`, async () => {
      const app = await start(mount);
      try {
        const reply = await app.client.get('/auth/session');
        expect(reply.status).to.equal(200);
        expect(app.store.methods()).to.deep.equal(['peek']);
        expect(app.warnings).to.deep.equal([]);
      } finally {
        await app.close();
      }
    });
  }

  it('P5: mounted under a path, the peek still answers but is loaded (slid) like any request, and one warning names the fix', async () => {
    const app = await start('path');
    try {
      for (let i = 0; i < 2; i += 1) expect((await app.client.get('/auth/session')).status).to.equal(200);
      expect(app.store.methods()).to.deep.equal(['load', 'load']);
      expect(app.warnings).to.have.length(1);
      expect(app.warnings[0]).to.include("sessions.logoutRouter({ prefix: '/auth' })");
      expect((await app.client.post('/auth/logout')).json).to.deep.include({ loggedOut: true, revoked: true });
    } finally {
      await app.close();
    }
  });
});
