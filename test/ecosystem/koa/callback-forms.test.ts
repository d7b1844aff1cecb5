import Router from '@koa/router';
import { expect } from 'chai';
import type { Context } from 'koa';
import { session } from '@sessionware/koa';
import {
  bounded, dataRoutes, dataSeenWith, describeOnBackends, expectAlive, expectCleared, koaApp, SESSION_COOKIE, type Harness, type Running,
} from './support.js';

/**
 * SPEC R4 (what koa-passport's passport relies on): the express-session forms on
 * `ctx.session` — `regenerate(cb)`, `save(cb)`, `destroy(cb)`, `reload(cb)`, `touch()` —
 * call the callback exactly once, error first, do what the promise form does, and never leave
 * a request hanging; without a callback a promise is returned.
 */

type Callback = (error?: unknown) => void;
type CallbackForms = Record<'regenerate' | 'save' | 'destroy' | 'reload', (callback?: Callback) => unknown> & { touch(): unknown };

function forms(ctx: Context): CallbackForms {
  return ctx.session as unknown as CallbackForms;
}

const METHODS = ['regenerate', 'save', 'destroy', 'reload'] as const;

describeOnBackends('express-session method forms on ctx.session (SPEC R4)', (harness: Harness) => {
  /** Every callback call, by method, for the test to count after the response. */
  let calls: Record<string, unknown[][]>;

  async function start(): Promise<Running> {
    calls = {};
    const test = koaApp();
    test.app.use(session(await harness.options()));
    test.app.use(dataRoutes());
    const router = new Router();
    router.post('/cb/:method', async (ctx) => {
      const method = ctx.params['method'] as (typeof METHODS)[number];
      ctx.session['b'] = method;
      const seen: unknown[][] = (calls[method] = []);
      await new Promise<void>((resolve) => {
        forms(ctx)[method]((...args: unknown[]) => {
          seen.push(args);
          resolve();
        });
      });
      ctx.body = { error: seen[0]?.[0] ?? null };
    });
    router.post('/promise/:method', async (ctx) => {
      const method = ctx.params['method'] as (typeof METHODS)[number];
      const result = forms(ctx)[method]();
      ctx.body = { promise: result instanceof Promise };
      await result;
    });
    router.post('/touch', (ctx) => {
      forms(ctx).touch();
      ctx.body = { touched: true };
    });
    test.app.use(router.routes());
    return harness.start(test);
  }

  /** The effect each method must have had on the session with cookie `before`. */
  async function expectEffect(running: Running, method: (typeof METHODS)[number], before: string, reply: { setCookies: Parameters<typeof expectCleared>[0] }): Promise<void> {
    const after = reply.setCookies.find((c) => c.name === SESSION_COOKIE);
    if (method === 'destroy') {
      expectCleared(reply.setCookies);
      expect(await dataSeenWith(running, before), 'the destroyed session').to.deep.equal({});
    } else if (method === 'regenerate') {
      expect(after?.value, 'a new session id').to.be.a('string').and.not.equal(before);
      expect(await dataSeenWith(running, after?.value ?? ''), 'the data carried over (T6)').to.deep.equal({ a: '1', b: method });
      expect(await dataSeenWith(running, before), 'the old id').to.deep.equal({});
    } else if (method === 'save') {
      expect(await dataSeenWith(running, before), 'the saved write').to.deep.equal({ a: '1', b: method });
    } else {
      // reload(): the stored data is back; whether the unsaved write survives is not specified.
      expect(await dataSeenWith(running, before)).to.include({ a: '1' });
    }
  }

  for (const method of METHODS) {
    it(`${method}(cb) calls back exactly once, error first, and does what ${method}() does (R4)`, async () => {
      const running = await start();
      const client = running.client();
      expect((await client.post('/set/a/1')).status).to.equal(200);
      const before = client.jar.get(SESSION_COOKIE) ?? '';
      const reply = await bounded(client.post(`/cb/${method}`), `POST /cb/${method}`);
      expect(reply.status, reply.body).to.equal(200);
      expect(reply.json).to.deep.equal({ error: null });
      await expectAlive(running);
      expect(calls[method], 'callback calls').to.have.length(1);
      await expectEffect(running, method, before, reply);
    });

    it(`${method}() without a callback returns a promise (R4)`, async () => {
      const running = await start();
      const client = running.client();
      expect((await client.post('/set/a/1')).status).to.equal(200);
      const reply = await bounded(client.post(`/promise/${method}`), `POST /promise/${method}`);
      expect(reply.status, reply.body).to.equal(200);
      expect(reply.json).to.deep.equal({ promise: true });
      await expectAlive(running);
    });
  }

  it('touch() returns at once and keeps the session (R4)', async () => {
    const running = await start();
    const client = running.client();
    expect((await client.post('/set/a/1')).status).to.equal(200);
    const before = client.jar.get(SESSION_COOKIE) ?? '';
    const reply = await bounded(client.post('/touch'), 'POST /touch');
    expect(reply.status, reply.body).to.equal(200);
    expect(reply.json).to.deep.equal({ touched: true });
    expect(await dataSeenWith(running, before)).to.deep.equal({ a: '1' });
    await expectAlive(running);
  });
});
