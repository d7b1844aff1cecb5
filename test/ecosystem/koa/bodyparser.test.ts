import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { expect } from 'chai';
import { session } from '@sessionware/koa';
import {
  bounded, dataSeenWith, describeOnBackends, expectAlive, expectCleared, koaApp, logoutRouterOf, openRequest,
  SESSION_COOKIE, type Harness, type Running,
} from './support.js';
import type { Client } from '@sessionware/test-support';

/**
 * SPEC R3, L2 (contract v2), L5: @koa/bodyparser given a malformed or oversized JSON body.
 * On a normal route: 400 / 413 through the app's error path, the session untouched, the
 * process alive. On the logout route (the router created from the middleware, mounted after
 * the body parser): the logout needs no body, so it still answers 2xx, clears both cookies
 * and ends the server session, in the README's mounting order (session() before the body
 * parser). With the body parser first, Koa rejects the request before session() runs, so no
 * middleware after it can answer: the README says to mount session() first.
 */

type Order = 'bodyParser before session()' | 'session() before bodyParser (README order)';
const ORDERS: readonly Order[] = ['bodyParser before session()', 'session() before bodyParser (README order)'];

const BAD_BODIES = [
  { name: 'malformed JSON', body: '{"a": 1,', status: 400 },
  { name: 'oversized JSON', body: JSON.stringify({ padding: 'x'.repeat(4096) }), status: 413 },
] as const;

describeOnBackends('@koa/bodyparser (SPEC R3, L2)', (harness: Harness) => {
  /** The app in `order`; `logout`: with the router created from the middleware, at /auth. */
  async function start(order: Order, logout: boolean): Promise<Running> {
    const test = koaApp();
    const parser = bodyParser({ enableTypes: ['json'], jsonLimit: '1kb' });
    const sessions = session(await harness.options());
    if (order === 'bodyParser before session()') test.app.use(parser).use(sessions);
    else test.app.use(sessions).use(parser);
    if (logout) test.app.use(logoutRouterOf(sessions));
    const router = new Router();
    router.get('/data', (ctx) => {
      ctx.body = { data: { ...ctx.session } };
    });
    router.post('/data', (ctx) => {
      for (const [key, value] of Object.entries(ctx.request.body as Record<string, unknown>)) ctx.session[key] = value;
      ctx.body = { ok: true };
    });
    test.app.use(router.routes());
    return harness.start(test);
  }

  async function withSession(running: Running): Promise<{ client: Client; cookie: string }> {
    const client = running.client();
    const reply = await bounded(client.post('/data', { json: { a: 1 } }), 'POST /data');
    expect(reply.status).to.equal(200);
    const cookie = client.jar.get(SESSION_COOKIE) ?? '';
    expect(cookie, 'a session cookie').to.not.equal('');
    return { client, cookie };
  }

  for (const order of ORDERS) {
    for (const bad of BAD_BODIES) {
      it(`${order}: ${bad.name} on a normal route answers ${bad.status}, the session untouched, the process alive (R3, F4)`, async () => {
        const running = await start(order, false);
        const { client, cookie } = await withSession(running);
        const reply = await bounded(openRequest(running.url, '/data', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: client.cookieHeader() },
          body: bad.body,
        }), `POST /data with ${bad.name}`);
        await reply.done;
        expect(reply.status).to.equal(bad.status);
        expect(reply.cookie(SESSION_COOKIE), 'no change to the session cookie').to.equal(undefined);
        expect(await dataSeenWith(running, cookie), 'the session afterwards').to.deep.equal({ a: 1 });
        await expectAlive(running);
      });

      if (order === 'bodyParser before session()') continue;
      it(`${order}: ${bad.name} on POST /auth/logout still logs out: 200, both cookies cleared, the old cookie anonymous (L2 v2, L5)`, async () => {
        const running = await start(order, true);
        const { client, cookie } = await withSession(running);
        const reply = await bounded(openRequest(running.url, '/auth/logout', {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: client.cookieHeader() },
          body: bad.body,
        }), `POST /auth/logout with ${bad.name}`);
        const body = await reply.done;
        expect(reply.status, `logout status (body ${body})`).to.equal(200);
        expect(JSON.parse(body)).to.include({ loggedOut: true, revoked: true });
        expectCleared(reply.setCookies);
        expect(await dataSeenWith(running, cookie), 'the old cookie after logout').to.deep.equal({});
        await expectAlive(running);
      });
    }
  }
});
