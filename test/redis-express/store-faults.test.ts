// Redis paused, killed and restarted under a running app (SPEC F1, F2, L2), with the ioredis
// client configured as the README recommends.
import { once } from 'node:events';
import { expect } from 'chai';
import { redisStore } from '@sessionware/redis';
import { Client, useRedis, type Reply } from '@sessionware/test-support';
import { startLoginApp, type LoginApp } from './login-app.js';

const STORE_TIMEOUT_MS = 300;
/** Slack for a loaded 2-core machine on top of the store timeout. */
const SLACK_MS = 700;

function expectBothCookiesCleared(reply: Reply): void {
  for (const name of ['sw.sid', 'sw.sid.active']) {
    const header = reply.cookie(name)?.raw;
    expect(header, `Set-Cookie of ${name}`).to.be.a('string');
    expect(header).to.match(/;\s*Max-Age=0(;|$)/i);
  }
}

describe('faults: Redis paused, killed and restarted under the app (F1, F2, L2)', () => {
  const redis = useRedis();
  let app: LoginApp;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    app = await startLoginApp(redisStore(redis().client, { prefix: 'faults:' }), { storeTimeout: STORE_TIMEOUT_MS });
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await app.close();
  });

  afterEach(() => {
    expect(unhandled, 'unhandled rejections').to.deep.equal([]);
  });

  async function loggedIn(username: string): Promise<Client> {
    const http = new Client(app.url);
    const reply = await http.request('POST', '/login', { json: { username } });
    expect(reply.status).to.equal(200);
    expect(http.jar.size, 'both cookies set').to.equal(2);
    return http;
  }

  it('F1, F2: Redis paused (SIGSTOP): a request using the session answers 503 within storeTimeout; after SIGCONT the same session works', async () => {
    const http = await loggedIn('ann');
    redis().server.pause();
    try {
      const reply = await http.request('GET', '/whoami');
      expect(reply.status).to.equal(503);
      expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_STORE' });
      expect(reply.elapsedMs).to.be.within(STORE_TIMEOUT_MS - 10, STORE_TIMEOUT_MS + SLACK_MS);
      const anonymous = await new Client(app.url).request('GET', '/healthz');
      expect(anonymous.status, 'a request without a cookie never touches the store').to.equal(200);
      expect(anonymous.elapsedMs).to.be.below(SLACK_MS);
    } finally {
      redis().server.resume();
    }
    const after = await http.request('GET', '/whoami');
    expect(after.status).to.equal(200);
    expect(after.json).to.deep.equal({ user: 'ann' });
  });

  it('L2: Redis paused: POST /auth/logout still answers 200, clears both cookies and reports the record was not revoked', async () => {
    const http = await loggedIn('bob');
    const reportedBefore = app.reported.length;
    redis().server.pause();
    let reply: Reply;
    try {
      reply = await http.request('POST', '/auth/logout');
    } finally {
      redis().server.resume();
    }
    expect(reply.status).to.equal(200);
    expect(reply.json).to.deep.include({ loggedOut: true, revoked: false });
    expectBothCookiesCleared(reply);
    expect(http.jar.size).to.equal(0);
    expect(reply.elapsedMs, 'the load and the destroy share one bound (L2 v2)').to.be.below(STORE_TIMEOUT_MS + SLACK_MS);
    expect(app.reported.slice(reportedBefore).map((error) => error.code), 'the failure is reported, not swallowed').to.include('ERR_SESSION_STORE');
  });

  it('F1, L2, F2: Redis killed: 503 at once, logout still 200 and clearing; restarted on the same port, the app recovers without restart', async () => {
    const http = await loggedIn('cid');
    const { client, server } = redis();
    await server.kill();
    if (client.status === 'ready') await once(client, 'close');

    const failed = await http.request('GET', '/whoami');
    expect(failed.status).to.equal(503);
    expect(failed.elapsedMs, 'fails before the store timeout: nothing queues while disconnected').to.be.below(STORE_TIMEOUT_MS);
    const logout = await http.request('POST', '/auth/logout');
    expect(logout.status).to.equal(200);
    expect(logout.json).to.deep.include({ loggedOut: true, revoked: false });
    expectBothCookiesCleared(logout);
    expect(logout.elapsedMs).to.be.below(STORE_TIMEOUT_MS);

    // Not once(client, 'ready'): that rejects on the 'error' of a reconnect attempt made before the restart.
    const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await server.restart();
    await ready;
    const again = await loggedIn('cid');
    const whoami = await again.request('GET', '/whoami');
    expect(whoami.status).to.equal(200);
    expect(whoami.json).to.deep.equal({ user: 'cid' });
  });
});
