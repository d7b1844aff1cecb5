import { expect } from 'chai';
import { logoutRouter } from '@sessionware/express';
import type { Reply } from '@sessionware/test-support';
import { within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, readKey, routerOf, type StartedApp } from './matrix-app.js';

/**
 * SPEC L6 (with L1, L2): a logout route that finds no session of its own still logs the
 * browser out (2xx, both cookies cleared) and says the server record was not revoked; the
 * router created from the middleware cannot be misordered at all.
 */

function expectBothCleared(reply: Reply): void {
  for (const name of ['sw.sid', 'sw.sid.active']) {
    const cookie = reply.cookie(name);
    expect(cookie, `Set-Cookie of ${name}`).to.not.equal(undefined);
    expect(cookie?.attributes['max-age'], `${name} cleared`).to.equal('0');
    expect(cookie?.attributes['path'], `${name} path`).to.equal('/');
  }
}

async function logout(target: StartedApp, cookieHeader?: string): Promise<Reply> {
  return within(
    target.client.post('/auth/logout', { headers: { accept: 'application/json' }, ...(cookieHeader === undefined ? {} : { cookieHeader }) }),
    'POST /auth/logout',
  );
}

for (const [version, x] of EXPRESS_VERSIONS) {
  describe(`L6 a misordered logout router (${version})`, () => {
    const apps = appsFor(x);

    it('L6, L2: logoutRouter() mounted before session(): 200, both cookies cleared, revoked: false', async () => {
      const target = await apps.start({ before: (app) => app.use('/auth', logoutRouter()), logout: 'none' });
      const created = await within(target.client.post('/write/mark/before'), 'POST /write/mark/before');
      expect(created.cookie('sw.sid')).to.not.equal(undefined);
      const reply = await logout(target);
      expect(reply.status, reply.body).to.equal(200);
      expect(reply.json).to.deep.include({ loggedOut: true, revoked: false });
      expectBothCleared(reply);
      expect(target.client.jar.size, 'the browser holds no session cookie').to.equal(0);
      expect(await readKey(target, 'mark')).to.equal(null);
      await expectAlive(target);
    });

    it('L6, L2: logoutRouter() on an app without session(): 200, both cookies cleared, revoked: false', async () => {
      const target = await apps.start({ session: false, before: (app) => app.use('/auth', logoutRouter()) });
      const reply = await logout(target, 'sw.sid=eyJhbGciOiJIUzI1NiJ9.e30.x; sw.sid.active=1');
      expect(reply.status, reply.body).to.equal(200);
      expect(reply.json).to.deep.include({ loggedOut: true, revoked: false });
      expectBothCleared(reply);
      await expectAlive(target);
    });

    it('L6, L1, L5: sessions.logoutRouter() mounted before app.use(sessions) still revokes: revoked: true, the old cookie dead', async () => {
      const target = await apps.start({
        before: (app, sessions) => {
          if (sessions === undefined) throw new Error('no sessions');
          app.use('/auth', routerOf(sessions));
        },
        logout: 'none',
      });
      await within(target.client.post('/write/mark/before'), 'POST /write/mark/before');
      const oldCookie = target.client.cookieHeader();
      const reply = await logout(target);
      expect(reply.status, reply.body).to.equal(200);
      expect(reply.json).to.deep.include({ loggedOut: true, revoked: true });
      expectBothCleared(reply);
      expect(await readKey(target, 'mark', oldCookie), 'the old cookie replayed').to.equal(null);
      await expectAlive(target);
    });
  });
}
