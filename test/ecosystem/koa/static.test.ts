import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import serve from 'koa-static';
import { session } from '@sessionware/koa';
import {
  bounded, dataRoutes, dataSeenWith, describeOnBackends, expectAlive, koaApp, SESSION_COOKIE, type Harness, type Running,
} from './support.js';

/**
 * SPEC R3 (with T3, T7, R2): koa-static serving a file while a middleware before it writes
 * the session; and koa-static mounted before session(), whose files never touch it.
 */

const CONTENT = Array.from({ length: 5000 }, (_, i) => `static line ${i}\n`).join('');

describeOnBackends('koa-static (SPEC R3, T7)', (harness: Harness) => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sw-koa-static-'));
    await writeFile(join(root, 'page.txt'), CONTENT);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function start(defer: boolean): Promise<Running> {
    const test = koaApp();
    test.app.use(session(await harness.options()));
    test.app.use(async (ctx, next) => {
      if (ctx.path === '/page.txt') ctx.session['served'] = ((ctx.session['served'] as number | undefined) ?? 0) + 1;
      await next();
    });
    test.app.use(dataRoutes());
    test.app.use(serve(root, { defer }));
    return harness.start(test);
  }

  for (const defer of [false, true]) {
    it(`serves the file whole with the session cookie, and the write made before it persists (defer: ${defer}) (R3, T7)`, async () => {
      const running = await start(defer);
      const client = running.client();
      for (const round of [1, 2]) {
        const reply = await bounded(client.get('/page.txt'), 'GET /page.txt');
        expect(reply.status).to.equal(200);
        expect(reply.body, 'the file').to.equal(CONTENT);
        if (round === 1) expect(reply.cookie(SESSION_COOKIE), 'the new session cookie on the file response').to.not.equal(undefined);
        expect(await dataSeenWith(running, client.jar.get(SESSION_COOKIE) ?? ''), 'the session afterwards').to.deep.equal({ served: round });
      }
      await expectAlive(running);
    });
  }

  it('koa-static mounted before session(): files are served without a cookie and the session is untouched (R3, R2, T3)', async () => {
    const test = koaApp();
    test.app.use(serve(root));
    test.app.use(session(await harness.options()));
    test.app.use(dataRoutes());
    const running = await harness.start(test);
    const client = running.client();
    await client.post('/set/a/1');
    const cookie = client.jar.get(SESSION_COOKIE) ?? '';
    expect(cookie).to.not.equal('');
    const reply = await bounded(client.get('/page.txt'), 'GET /page.txt');
    expect(reply.status).to.equal(200);
    expect(reply.body).to.equal(CONTENT);
    expect(reply.setCookies, 'no Set-Cookie on a file served before session()').to.deep.equal([]);
    expect(await dataSeenWith(running, cookie)).to.deep.equal({ a: '1' });
    await expectAlive(running);
  });
});
