import Router from '@koa/router';
import { expect } from 'chai';
import type { Context } from 'koa';
import { session } from '@sessionware/koa';
import {
  bounded, dataRoutes, dataSeenWith, describeOnBackends, expectAlive, expectCleared, koaApp, SESSION_COOKIE, type Harness, type Running,
} from './support.js';

/**
 * SPEC R5: `ctx.session = null` (the koa-session idiom) destroys the session exactly like
 * `destroy()`: both cookies cleared, the record gone, the old cookie anonymous. Assigning
 * any other value throws `SessionDataError` (`ERR_SESSION_DATA`) at the assignment, and the
 * session is left as it was.
 */

/** `ctx.session` as a plain assignable property, whatever its declared type. */
function assignSession(ctx: Context, value: unknown): void {
  (ctx as unknown as { session: unknown }).session = value;
}

const ENDINGS = [
  { name: 'ctx.session.destroy()', path: '/end/destroy' },
  { name: 'ctx.session = null', path: '/end/null' },
] as const;

/** Values other than null, by name (the route assigns them; JSON cannot carry all of them). */
const OTHER_VALUES: Record<string, unknown> = {
  'an empty object': {},
  'a plain object': { a: 'replaced' },
  'an array': [],
  'a string': 'session',
  'the number 0': 0,
  'false': false,
  'undefined': undefined,
};

describeOnBackends('ctx.session assignment (SPEC R5)', (harness: Harness) => {
  async function start(): Promise<Running> {
    const test = koaApp();
    test.app.use(session(await harness.options()));
    test.app.use(dataRoutes());
    const router = new Router();
    router.post('/end/destroy', (ctx) => {
      ctx.session.destroy();
      ctx.body = { ended: true };
    });
    router.post('/end/null', (ctx) => {
      assignSession(ctx, null);
      ctx.body = { ended: true };
    });
    router.post('/assign/:name', (ctx) => {
      const name = decodeURIComponent(ctx.params['name'] ?? '');
      try {
        assignSession(ctx, OTHER_VALUES[name]);
        ctx.body = { threw: false };
      } catch (error) {
        const { name: errorName, code } = error as { name?: unknown; code?: unknown };
        // Still the session after the refused assignment.
        ctx.body = { threw: true, name: errorName, code, a: ctx.session['a'] ?? null };
      }
    });
    test.app.use(router.routes());
    return harness.start(test);
  }

  for (const ending of ENDINGS) {
    it(`${ending.name} ends the session: both cookies cleared, the record destroyed, the old cookie anonymous (R5)`, async () => {
      const running = await start();
      const client = running.client();
      expect((await client.post('/set/a/1')).status).to.equal(200);
      const cookie = client.jar.get(SESSION_COOKIE) ?? '';
      expect(await harness.count(), 'records before').to.equal(1);
      const reply = await bounded(client.post(ending.path), `POST ${ending.path}`);
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ ended: true });
      expectCleared(reply.setCookies);
      expect(await harness.count(), 'records after').to.equal(0);
      expect(await dataSeenWith(running, cookie), 'the old cookie').to.deep.equal({});
      await expectAlive(running);
    });
  }

  for (const name of Object.keys(OTHER_VALUES)) {
    it(`ctx.session = ${name} throws SessionDataError (ERR_SESSION_DATA) at the assignment and leaves the session as it was (R5)`, async () => {
      const running = await start();
      const client = running.client();
      expect((await client.post('/set/a/1')).status).to.equal(200);
      const cookie = client.jar.get(SESSION_COOKIE) ?? '';
      const reply = await bounded(client.post(`/assign/${encodeURIComponent(name)}`), 'POST /assign');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ threw: true, name: 'SessionDataError', code: 'ERR_SESSION_DATA', a: '1' });
      expect(reply.cookie(SESSION_COOKIE), 'no cookie change').to.equal(undefined);
      expect(await dataSeenWith(running, cookie), 'the session afterwards').to.deep.equal({ a: '1' });
      await expectAlive(running);
    });
  }
});
