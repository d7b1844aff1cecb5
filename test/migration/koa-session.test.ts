import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { fromKoaSession } from '@sessionware/koa';
import { redisStore } from '@sessionware/redis';
import { KOA_PREFIX, koaRedisStore, OLD_KOA_KEYS, startNewExpressApp, startNewKoaApp, startOldKoaApp, type RunningApp, type Whoami } from './support.js';
import { Client, connectClient, disconnectAllClients, isClearing, ObservedStore, type RedisServer, startRedisServer } from '@sessionware/test-support';

/**
 * Issue 16: migration from koa-session with an external store (on a real redis-server). A user
 * logged in under koa-session (`ctx.session.userId = …`) is still logged in after the switch;
 * `koa.sess` and `koa.sess.sig` are cleared and the old record gone; a tampered cookie is
 * anonymous (SPEC K2) and the old store is not called.
 */
describe('issue 16: migration from koa-session 7 with an external store (real Redis)', function () {
  this.timeout(20_000);
  let redis: RedisServer;
  let client: Redis;
  const running: RunningApp[] = [];

  before(async () => {
    redis = await startRedisServer();
    ({ client } = await connectClient(redis.url));
  });
  after(async () => {
    disconnectAllClients();
    await redis.stop();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
  });

  async function loggedInUnderOld(username: string): Promise<{ jar: Map<string, string>; key: string }> {
    const old = await startOldKoaApp(client);
    const browser = new Client(old.url);
    const login = await browser.post('/login', { headers: { 'x-username': username } });
    await old.close();
    expect(login.status, 'login under koa-session').to.equal(200);
    const key = browser.jar.get('koa.sess');
    if (key === undefined || !browser.jar.has('koa.sess.sig')) throw new Error('koa-session set no signed cookie');
    return { jar: browser.jar, key };
  }

  async function switchTo(jar: Map<string, string>, start = startNewKoaApp) {
    const store = new ObservedStore(redisStore(client, { prefix: `k${randomBytes(4).toString('hex')}:` }));
    const old = koaRedisStore(client);
    const oldCalls: string[] = [];
    const counted = {
      get: (key: string) => (oldCalls.push('get'), old.get(key)),
      destroy: (key: string) => (oldCalls.push('destroy'), old.destroy(key)),
    };
    const migrateFrom = fromKoaSession({ keys: OLD_KOA_KEYS, store: counted, userIdOf: (data) => data['userId'] });
    const app = await start({ store, migrateFrom });
    running.push(app);
    const browser = new Client(app.url);
    for (const [name, value] of jar) browser.jar.set(name, value);
    return { app, store, browser, oldCalls };
  }

  for (const [adapter, start] of [['Koa', startNewKoaApp], ['Express', startNewExpressApp]] as const) {
    it(`${adapter}: the user logged in under koa-session is still logged in on the next request, with data and user; both old cookies cleared, the old record gone`, async () => {
      const { jar, key } = await loggedInUnderOld('alice');
      expect(await client.exists(KOA_PREFIX + key)).to.equal(1);
      const { app, browser, oldCalls } = await switchTo(jar, start);
      const reply = await browser.get('/whoami');
      expect(reply.status).to.equal(200);
      const body = reply.json as Whoami;
      expect(body.userId).to.equal('alice');
      expect(body.user).to.deep.equal({ id: 'alice', username: 'ALICE', emailConfirmed: true });
      // `userId` is sessionware's reserved name (the user itself); koa-session's `_expire` and `_maxAge` are its own.
      expect(body.data).to.deep.equal({ theme: 'dark' });
      for (const name of ['koa.sess', 'koa.sess.sig']) {
        const cleared = reply.cookie(name);
        expect(cleared !== undefined && isClearing(cleared), `${name} cleared`).to.equal(true);
      }
      expect(await client.exists(KOA_PREFIX + key), 'the old record is gone').to.equal(0);
      expect(oldCalls).to.deep.equal(['get', 'destroy']);
      expect(await app.users.list('alice')).to.have.length(1);
      expect([...browser.jar.keys()].sort()).to.deep.equal(['sw.sid', 'sw.sid.active']);
      expect((await browser.get('/whoami')).status).to.equal(200);
    });
  }

  const tampered: [string, (jar: Map<string, string>) => void][] = [
    ['a changed .sig', (jar) => jar.set('koa.sess.sig', 'A'.repeat(27))],
    ['no .sig cookie', (jar) => jar.delete('koa.sess.sig')],
    ['the key of another session under the same .sig', (jar) => jar.set('koa.sess', '00000000-0000-4000-8000-000000000000')],
  ];
  for (const [what, tamper] of tampered) {
    it(`a koa-session cookie with ${what} is anonymous; the old store is not called and the old record stays`, async () => {
      const { jar, key } = await loggedInUnderOld('mallory');
      tamper(jar);
      const { store, browser, oldCalls } = await switchTo(jar);
      const reply = await browser.get('/whoami');
      expect(reply.status).to.equal(401);
      const cleared = reply.cookie('koa.sess');
      expect(cleared !== undefined && isClearing(cleared), 'koa.sess cleared').to.equal(true);
      expect(reply.cookie('sw.sid')).to.equal(undefined);
      expect(store.methods(), 'new store calls').to.deep.equal([]);
      expect(oldCalls, 'old store calls').to.deep.equal([]);
      expect(await client.exists(KOA_PREFIX + key)).to.equal(1);
    });
  }
});
