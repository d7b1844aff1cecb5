import Router from '@koa/router';
import { expect } from 'chai';
import { session } from '@sessionware/koa';
import {
  absorb, bounded, dataRoutes, dataSeenWith, describeOnBackends, expectAlive, Gates, koaApp, openRequest,
  SESSION_COOKIE, type Harness, type Running,
} from './support.js';

/**
 * SPEC T7, R1, R3: a handler that bypasses Koa (`ctx.respond = false`) and writes `ctx.res`
 * itself right after a session write. T7 says changes are stored before the response headers
 * are sent, and R1 that holding the response until the commit changes only when bytes leave:
 * so the cookie is on that very response, the write is stored before its headers arrive, and
 * `headersSent` reads true right after `writeHead()` as on a plain Node response.
 * (The README today asks for `await ctx.session.save()` before writing; that idiom is
 * tested too.)
 */

describeOnBackends('ctx.respond = false (SPEC T7, R1, R3)', (harness: Harness) => {
  async function start(gates: Gates): Promise<Running> {
    const test = koaApp();
    test.app.use(session(await harness.options()));
    test.app.use(dataRoutes());
    const router = new Router();
    router.get('/raw', (ctx) => {
      ctx.session['raw'] = `round-${String(ctx.query['round'])}`;
      ctx.respond = false;
      const res = ctx.res;
      res.writeHead(200, { 'content-type': 'text/plain' });
      const headersSent = res.headersSent;
      res.write(`first headersSent=${String(headersSent)}\n`);
      void gates.get(String(ctx.query['round'])).opened.then(() => res.end('last\n'));
    });
    router.get('/raw-saved', async (ctx) => {
      ctx.session['saved'] = 'yes';
      await ctx.session.save();
      ctx.respond = false;
      ctx.res.writeHead(200, { 'content-type': 'text/plain' });
      ctx.res.end('saved first');
    });
    test.app.use(router.routes());
    return harness.start(test);
  }

  it('the cookie is on the raw response and the write is stored before its headers leave (T7, R1)', async () => {
    const gates = new Gates();
    const running = await start(gates);
    const client = running.client();
    for (const round of [1, 2]) {
      const headers: Record<string, string> = {};
      if (client.cookieHeader() !== '') headers['cookie'] = client.cookieHeader();
      const reply = await bounded(openRequest(running.url, `/raw?round=${round}`, { headers }), `GET /raw (round ${round})`);
      expect(reply.status).to.equal(200);
      if (round === 1) expect(reply.cookie(SESSION_COOKIE), 'the new session cookie on the raw response').to.not.equal(undefined);
      absorb(client, reply.setCookies);
      await bounded(reply.until('\n'), 'the first line of the raw response');
      // The response is still open: the write must already be stored.
      expect(await dataSeenWith(running, client.jar.get(SESSION_COOKIE) ?? ''), 'the session while the response is open')
        .to.deep.equal({ raw: `round-${round}` });
      gates.get(String(round)).open();
      expect(await bounded(reply.done, 'the raw body'), 'headersSent reads true after writeHead (R1)').to.equal('first headersSent=true\nlast\n');
    }
    await expectAlive(running);
  });

  it('with await ctx.session.save() before writing ctx.res, the cookie is on the response and the write persists (T7)', async () => {
    const running = await start(new Gates());
    const client = running.client();
    const reply = await bounded(client.get('/raw-saved'), 'GET /raw-saved');
    expect(reply.status).to.equal(200);
    expect(reply.body).to.equal('saved first');
    expect(reply.cookie(SESSION_COOKIE), 'the session cookie').to.not.equal(undefined);
    expect(await dataSeenWith(running, client.jar.get(SESSION_COOKIE) ?? '')).to.deep.equal({ saved: 'yes' });
    await expectAlive(running);
  });
});
