import { expect } from 'chai';
import expressSession from 'express-session';
import { MemoryStore, session, SessionConfigError } from '@sessionware/express';
import type { Express } from 'express';
import { SECRET, within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, mark, type AppSetup, type StartedApp } from './matrix-app.js';

/**
 * SPEC R6: two session middlewares on one request are a clear SessionConfigError through
 * Express's error path — never a crash, never a silently shared req.session.
 */

function visit(app: Express): void {
  app.post('/visit', (req, res) => {
    mark(req, 'written', 'visit');
    res.json({ ok: true });
  });
}

async function expectConfigError(target: StartedApp): Promise<void> {
  const reply = await within(target.client.post('/visit'), 'POST /visit');
  expect(reply.status, reply.body).to.equal(500);
  expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_CONFIG' });
  expect(target.errors, 'errors that reached the error handler').to.have.length(1);
  expect(target.errors[0]).to.be.instanceOf(SessionConfigError);
  expect((target.errors[0] as SessionConfigError).code).to.equal('ERR_SESSION_CONFIG');
  await expectAlive(target);
}

for (const [version, x] of EXPRESS_VERSIONS) {
  describe(`R6 two session middlewares (${version})`, () => {
    const apps = appsFor(x);

    it('R6: express-session mounted before session(): ERR_SESSION_CONFIG through the error path, the server stays up', async () => {
      const setup: AppSetup = {
        before: (app) => app.use(expressSession({ secret: SECRET, resave: false, saveUninitialized: false })),
        routes: visit,
      };
      await expectConfigError(await apps.start(setup));
    });

    it('R6: the same session() mounted twice: ERR_SESSION_CONFIG through the error path, the server stays up', async () => {
      await expectConfigError(await apps.start({
        routes: (app, sessions) => {
          if (sessions === undefined) throw new Error('no sessions');
          app.use(sessions);
          visit(app);
        },
      }));
    });

    it('R6: two session() instances on one app: ERR_SESSION_CONFIG through the error path, the server stays up', async () => {
      const store = new MemoryStore();
      try {
        await expectConfigError(await apps.start({
          routes: (app) => {
            app.use(session({ secrets: SECRET, store }));
            visit(app);
          },
        }));
      } finally {
        store.close();
      }
    });
  });
}
