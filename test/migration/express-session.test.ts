import { randomBytes } from 'node:crypto';
import { RedisStore } from 'connect-redis';
import { expect } from 'chai';
import { fromExpressSession, type SessionOptions } from '@sessionware/express';
import { redisStore } from '@sessionware/redis';
import { Client, connectClient, disconnectAllClients, isClearing, ObservedStore, type RedisServer, startRedisServer } from '@sessionware/test-support';
import {
  nodeRedis, OLD_PREFIX, oldSessionId, OldStoreProbe, OLD_SECRET, startNewExpressApp, startNewKoaApp, startOldExpressApp,
  type RunningApp, type Whoami,
} from './support.js';

/**
 * Issue 16: migration from express-session + connect-redis 9, on a real redis-server. A user
 * logs in under the old app; the app switches to sessionware with `migrateFrom`; the user's
 * next request is logged in, with the old data and user; the old cookie is cleared and the old
 * record gone. Also SPEC F1 (no store call without a cookie; a stalled old store is a prompt
 * 503), K2 (a tampered cookie is anonymous), T5 (two concurrent requests create one session).
 */
describe('issue 16: migration from express-session + connect-redis 9 (real Redis)', function () {
  this.timeout(20_000);
  let redis: RedisServer;
  let oldClient: Awaited<ReturnType<typeof nodeRedis>>;
  let admin: Awaited<ReturnType<typeof connectClient>>['client'];
  const running: RunningApp[] = [];

  before(async () => {
    redis = await startRedisServer();
    oldClient = await nodeRedis(redis.url);
    ({ client: admin } = await connectClient(redis.url));
  });
  after(async () => {
    oldClient.destroy();
    disconnectAllClients();
    await redis.stop();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
  });

  /** Logs `username` in under the old app, which then stops; answers the browser's cookie jar and the old id. */
  async function loggedInUnderOld(username: string): Promise<{ browser: Client; sid: string }> {
    const old = await startOldExpressApp(new RedisStore({ client: oldClient }));
    const browser = new Client(old.url);
    const login = await browser.post('/login', { json: { username } });
    await old.close();
    expect(login.status, 'login under express-session').to.equal(200);
    const cookie = browser.jar.get('connect.sid');
    if (cookie === undefined) throw new Error('express-session set no cookie');
    return { browser, sid: oldSessionId(cookie) };
  }

  /** The new app on the same Redis, with the reader over `probe`; the browser is pointed at it. */
  async function switchTo(probe: OldStoreProbe, browser: Client, start = startNewExpressApp, options: SessionOptions = {}) {
    const store = new ObservedStore(redisStore(admin, { prefix: `m${randomBytes(4).toString('hex')}:` }));
    const migrateFrom = fromExpressSession({
      secret: ['an-older-secret', OLD_SECRET],
      store: probe,
      userIdOf: (data) => (data['passport'] as { user?: unknown } | undefined)?.user,
    });
    const app = await start({ store, migrateFrom, ...options });
    running.push(app);
    const moved = new Client(app.url);
    for (const [name, value] of browser.jar) moved.jar.set(name, value);
    return { app, store, client: moved };
  }

  const probeOf = (): OldStoreProbe => new OldStoreProbe(new RedisStore({ client: oldClient }));

  for (const [adapter, start] of [['Express', startNewExpressApp], ['Koa', startNewKoaApp]] as const) {
    it(`${adapter}: the user logged in under express-session is still logged in on the next request, with data and user; the old cookie cleared, the old record gone`, async () => {
      const { browser, sid } = await loggedInUnderOld('alice');
      expect(await admin.exists(OLD_PREFIX + sid)).to.equal(1);
      const { app, client } = await switchTo(probeOf(), browser, start);
      const reply = await client.get('/whoami');
      expect(reply.status).to.equal(200);
      const body = reply.json as Whoami;
      expect(body.userId).to.equal('alice');
      expect(body.user).to.deep.equal({ id: 'alice', username: 'ALICE', emailConfirmed: true });
      expect(body.data).to.deep.equal({ passport: { user: 'alice' }, cart: ['book', 'lamp'] });
      const oldCookie = reply.cookie('connect.sid');
      expect(oldCookie !== undefined && isClearing(oldCookie), 'the old cookie is cleared').to.equal(true);
      expect(oldCookie?.attributes['path']).to.equal('/');
      const newCookie = reply.cookie('sw.sid');
      expect(newCookie !== undefined && !isClearing(newCookie), 'the new cookie is issued').to.equal(true);
      expect(await admin.exists(OLD_PREFIX + sid), 'the old record is gone').to.equal(0);
      expect(await app.users.list('alice')).to.have.length(1);
      // The next request is an ordinary sessionware request.
      expect([...client.jar.keys()].sort()).to.deep.equal(['sw.sid', 'sw.sid.active']);
      const again = await client.get('/whoami');
      expect(again.status).to.equal(200);
      expect((again.json as Whoami).data['cart']).to.deep.equal(['book', 'lamp']);
    });
  }

  const tampered: [string, (value: string) => string][] = [
    ['with a changed signature', (value) => value.slice(0, -3) + (value.endsWith('abc') ? 'abd' : 'abc')],
    ['unsigned (the bare id)', (value) => encodeURIComponent(oldSessionId(value))],
    ['signed with another secret', (value) => `s%3A${oldSessionId(value)}.${'A'.repeat(43)}`],
  ];
  for (const [what, tamper] of tampered) {
    it(`an old cookie ${what} is anonymous and cleared; the old store is not called and the old record stays`, async () => {
      const { browser, sid } = await loggedInUnderOld('mallory');
      browser.jar.set('connect.sid', tamper(browser.jar.get('connect.sid') ?? ''));
      const probe = probeOf();
      const { store, client } = await switchTo(probe, browser);
      const reply = await client.get('/whoami');
      expect(reply.status).to.equal(401);
      const oldCookie = reply.cookie('connect.sid');
      expect(oldCookie !== undefined && isClearing(oldCookie)).to.equal(true);
      expect(reply.cookie('sw.sid'), 'no new session cookie').to.equal(undefined);
      expect(probe.gets + probe.destroys, 'old store calls').to.equal(0);
      expect(store.methods(), 'new store calls').to.deep.equal([]);
      expect(await admin.exists(OLD_PREFIX + sid)).to.equal(1);
    });
  }

  it('two concurrent requests with the old cookie (both read the old record first) create one session; both see the user', async () => {
    const { browser, sid } = await loggedInUnderOld('bob');
    const probe = probeOf();
    probe.barrier = 2;
    const { app, client } = await switchTo(probe, browser);
    const [first, second] = await Promise.all([client.get('/whoami'), client.get('/whoami')]);
    for (const reply of [first, second]) {
      expect(reply.status).to.equal(200);
      expect((reply.json as Whoami).userId).to.equal('bob');
    }
    expect(first.cookie('sw.sid')?.value).to.equal(second.cookie('sw.sid')?.value);
    expect(await app.users.list('bob'), 'one session of the user').to.have.length(1);
    expect(await admin.exists(OLD_PREFIX + sid)).to.equal(0);
  });

  it('a request that still carries the old cookie after another moved it gets the same session', async () => {
    const { browser } = await loggedInUnderOld('carol');
    const { app, client } = await switchTo(probeOf(), browser);
    const oldHeader = client.cookieHeader();
    const first = await client.get('/whoami');
    const late = await client.get('/whoami', { cookieHeader: oldHeader });
    expect(late.status).to.equal(200);
    expect((late.json as Whoami).userId).to.equal('carol');
    expect(late.cookie('sw.sid')?.value).to.equal(first.cookie('sw.sid')?.value);
    expect(await app.users.list('carol')).to.have.length(1);
  });

  it('an old cookie sent beside a sessionware cookie is cleared without any old store call', async () => {
    const { browser } = await loggedInUnderOld('gina');
    const probe = probeOf();
    const { client } = await switchTo(probe, browser);
    const oldCookie = client.jar.get('connect.sid') ?? '';
    expect((await client.get('/whoami')).status).to.equal(200);
    const callsAfterMigration = probe.gets + probe.destroys;
    const reply = await client.get('/whoami', { cookieHeader: `${client.cookieHeader()}; connect.sid=${oldCookie}` });
    expect(reply.status).to.equal(200);
    const cleared = reply.cookie('connect.sid');
    expect(cleared !== undefined && isClearing(cleared)).to.equal(true);
    expect(probe.gets + probe.destroys).to.equal(callsAfterMigration);
  });

  it('after a logout, the old cookie replayed is anonymous: the old record cannot bring the session back', async () => {
    const { browser } = await loggedInUnderOld('dave');
    const { client } = await switchTo(probeOf(), browser);
    const oldHeader = client.cookieHeader();
    expect((await client.get('/whoami')).status).to.equal(200);
    expect((await client.post('/auth/logout')).status).to.equal(200);
    expect((await client.get('/whoami', { cookieHeader: oldHeader })).status).to.equal(401);
  });

  it('F1: a request without the old cookie makes no store call, old or new', async () => {
    const probe = probeOf();
    const { store, client } = await switchTo(probe, new Client('http://unused'));
    expect((await client.get('/whoami')).status).to.equal(401);
    expect((await client.get('/whoami', { cookieHeader: 'theme=dark' })).status).to.equal(401);
    expect(store.methods()).to.deep.equal([]);
    expect(probe.gets + probe.destroys).to.equal(0);
  });

  it('F1: an old store that does not answer fails the request with 503 within the bound; no cookie issued', async () => {
    const { browser, sid } = await loggedInUnderOld('erin');
    const probe = probeOf();
    probe.hangGet = true;
    const { client } = await switchTo(probe, browser, startNewExpressApp, { storeTimeout: '300ms' });
    const started = performance.now();
    const reply = await client.get('/whoami');
    expect(performance.now() - started).to.be.below(2_000);
    expect(reply.status).to.equal(503);
    expect(reply.setCookies, 'no cookie issued or cleared').to.deep.equal([]);
    expect(await admin.exists(OLD_PREFIX + sid)).to.equal(1);
  });

  it('L2: a logout while the old store stalls answers 2xx and clears the old cookie too', async () => {
    const { browser } = await loggedInUnderOld('hugo');
    const probe = probeOf();
    probe.hangGet = true;
    const { client } = await switchTo(probe, browser, startNewExpressApp, { storeTimeout: '300ms' });
    const reply = await client.post('/auth/logout');
    expect(reply.status).to.equal(200);
    const cleared = reply.cookie('connect.sid');
    expect(cleared !== undefined && isClearing(cleared), 'the old cookie is cleared').to.equal(true);
  });

  it('an old record that cannot be deleted fails the request with 503 and issues no cookie; the next request migrates to the same one session', async () => {
    const { browser, sid } = await loggedInUnderOld('frank');
    const probe = probeOf();
    probe.failDestroy = true;
    const { app, client } = await switchTo(probe, browser);
    const failed = await client.get('/whoami');
    expect(failed.status).to.equal(503);
    expect(failed.setCookies).to.deep.equal([]);
    expect(await admin.exists(OLD_PREFIX + sid)).to.equal(1);
    probe.failDestroy = false;
    const retried = await client.get('/whoami');
    expect(retried.status).to.equal(200);
    expect((retried.json as Whoami).userId).to.equal('frank');
    expect(await admin.exists(OLD_PREFIX + sid)).to.equal(0);
    expect(await app.users.list('frank')).to.have.length(1);
  });

  it('U3: a user loadUser no longer knows is anonymous; the old record is deleted and the old cookie cleared', async () => {
    const { browser, sid } = await loggedInUnderOld('deleted');
    const { client } = await switchTo(probeOf(), browser);
    const reply = await client.get('/whoami');
    expect(reply.status).to.equal(401);
    const oldCookie = reply.cookie('connect.sid');
    expect(oldCookie !== undefined && isClearing(oldCookie)).to.equal(true);
    expect(await admin.exists(OLD_PREFIX + sid)).to.equal(0);
  });
});
