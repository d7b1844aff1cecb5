import Router from '@koa/router';
import { expect } from 'chai';
import createError from 'http-errors';
import { session } from '@sessionware/koa';
import {
  bounded, dataRoutes, dataSeenWith, describeOnBackends, expectAlive, koaApp, SESSION_COOKIE, type Harness, type Running,
} from './support.js';

/**
 * SPEC R3, T7, F4: an HTTP error after a session write (`ctx.throw(404)`, a thrown
 * `http-errors` error). The SPEC has no rule that drops a write when the handler fails
 * afterwards, and both anchors commit on error responses (koa-session commits in a `finally`
 * after `await next()`, as STYLE.md asks; express-session saves on `res.end` of the error
 * page), so: the write is stored, and the error response the app's handler writes carries the
 * session cookie. With Koa's own error handler, which removes every header of the response
 * before answering, only the storing is asserted, for a session whose cookie the client has.
 */

const THROWERS = [
  { name: 'ctx.throw(404)', path: '/throw-404', status: 404 },
  { name: 'throw createError(409) (http-errors)', path: '/http-error', status: 409 },
  { name: 'ctx.throw(400) after await ctx.session.save()', path: '/saved-then-400', status: 400 },
] as const;

describeOnBackends('http-errors and ctx.throw after a session write (SPEC R3, T7)', (harness: Harness) => {
  async function start(errorHandler: boolean): Promise<Running> {
    const test = koaApp({ errorHandler });
    test.app.use(session(await harness.options()));
    test.app.use(dataRoutes());
    const router = new Router();
    router.get('/throw-404', (ctx) => {
      ctx.session['wrote'] = 'before 404';
      ctx.throw(404, 'no such thing');
    });
    router.get('/http-error', (ctx) => {
      ctx.session['wrote'] = 'before 409';
      throw createError(409, 'conflict');
    });
    router.get('/saved-then-400', async (ctx) => {
      ctx.session['wrote'] = 'before 400';
      await ctx.session.save();
      ctx.throw(400, 'bad');
    });
    test.app.use(router.routes());
    return harness.start(test);
  }

  for (const thrower of THROWERS) {
    it(`${thrower.name} after a write on a new session: ${thrower.status}, the cookie on the error response, the write stored (R3, T7)`, async () => {
      const running = await start(true);
      const client = running.client();
      const reply = await bounded(client.get(thrower.path), `GET ${thrower.path}`);
      expect(reply.status).to.equal(thrower.status);
      expect(reply.json).to.include({ error: 'http_error' });
      const cookie = reply.cookie(SESSION_COOKIE);
      expect(cookie, 'the session cookie on the error response').to.not.equal(undefined);
      expect(await dataSeenWith(running, cookie?.value ?? ''), 'the session afterwards').to.deep.equal({ wrote: `before ${thrower.status}` });
      await expectAlive(running);
    });

    it(`${thrower.name} after a write, with Koa's default error handler: ${thrower.status}, and the write to the existing session is stored (R3, T7)`, async () => {
      const running = await start(false);
      const client = running.client();
      expect((await client.post('/set/a/1')).status).to.equal(200);
      const cookie = client.jar.get(SESSION_COOKIE) ?? '';
      const reply = await bounded(client.get(thrower.path), `GET ${thrower.path}`);
      expect(reply.status).to.equal(thrower.status);
      expect(await dataSeenWith(running, cookie), 'the session afterwards').to.deep.equal({ a: '1', wrote: `before ${thrower.status}` });
      await expectAlive(running);
    });
  }
});
