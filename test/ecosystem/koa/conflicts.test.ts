import Router from '@koa/router';
import { expect } from 'chai';
import type Koa from 'koa';
import koaSession from 'koa-session';
import { session, type SessionOptions } from '@sessionware/koa';
import { bounded, describeOnBackends, expectAlive, koaApp, SESSION_COOKIE, type Harness } from './support.js';

/**
 * SPEC R6: two session middlewares on one request — koa-session on the same app (mounted
 * before or after), or sessionware mounted twice (the same middleware, or two) — are a clear
 * `SessionConfigError` (`ERR_SESSION_CONFIG`) through Koa's error path, naming the conflicting
 * `ctx.session`: never a crash, never a silently shared `ctx.session`, so no sessionware
 * cookie is issued for the write.
 */

const SETUPS: ReadonlyArray<{ name: string; mount(app: Koa, options: SessionOptions): void }> = [
  {
    name: 'koa-session mounted before session()',
    mount(app, options) {
      app.keys = ['koa-session-key-for-the-conflict-test'];
      app.use(koaSession({}, app));
      app.use(session(options));
    },
  },
  {
    name: 'koa-session mounted after session()',
    mount(app, options) {
      app.keys = ['koa-session-key-for-the-conflict-test'];
      app.use(session(options));
      app.use(koaSession({}, app));
    },
  },
  {
    name: 'the same session() middleware mounted twice',
    mount(app, options) {
      const sessions = session(options);
      app.use(sessions);
      app.use(sessions);
    },
  },
  {
    name: 'two session() middlewares',
    mount(app, options) {
      app.use(session(options));
      app.use(session(options));
    },
  },
];

describeOnBackends('two session middlewares on one request (SPEC R6)', (harness: Harness) => {
  for (const setup of SETUPS) {
    it(`${setup.name}: a write answers 500 ERR_SESSION_CONFIG naming ctx.session, no session cookie, the server up (R6)`, async () => {
      const test = koaApp();
      setup.mount(test.app, await harness.options());
      const router = new Router();
      router.post('/write', (ctx) => {
        ctx.session['a'] = 1;
        ctx.body = { a: ctx.session['a'] };
      });
      test.app.use(router.routes());
      const running = await harness.start(test);
      const client = running.client();
      for (const attempt of [1, 2]) {
        const reply = await bounded(client.post('/write'), `POST /write (attempt ${attempt})`);
        expect(reply.status, `attempt ${attempt}: ${reply.body}`).to.equal(500);
        expect(reply.json).to.include({ error: 'ERR_SESSION_CONFIG' });
        expect((reply.json as { message?: string }).message, 'the message names the conflict').to.match(/ctx\.session/);
        expect(reply.cookie(SESSION_COOKIE), 'no sessionware cookie for a conflicting write').to.equal(undefined);
      }
      await expectAlive(running);
    });
  }
});
