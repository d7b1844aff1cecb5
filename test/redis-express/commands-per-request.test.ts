// Redis commands per HTTP request through @sessionware/express, counted with INFO commandstats
// (SPEC issue "A test counts Redis commands per request"). Redis also counts the commands a
// script runs, so each expected delta names the scripts' inner commands too; the commands the
// app sent are the EVALSHA and UNLINK calls.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Store } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { Client, countCommands, elapse, useRedis } from '@sessionware/test-support';
import { startLoginApp, type LoginApp } from './login-app.js';

/** The commands one run of each script performs, as commandstats counts them. */
const LOAD = { evalsha: 1, hgetall: 1, hset: 1, pexpireat: 1 };
const CREATE = { evalsha: 1, hmget: 1, del: 1, hset: 1, pexpireat: 1 };
const UPDATE = { evalsha: 1, hmget: 1, hset: 1 };
// The replace script reads the old session's data (HGETALL) to carry it over (SPEC T8).
const REPLACE = { evalsha: 1, hmget: 2, hgetall: 1, del: 1, hset: 1, pexpireat: 1 };
const DESTROY = { unlink: 1 };
/** A user's session: the load script also reads the user's change version (SPEC U2). */
const LOAD_USER = { ...LOAD, hget: 1 };
/** Destroying a user's session: the session and its index entry, in one script. */
const DESTROY_USER = { evalsha: 1, hmget: 1, del: 1, hget: 1, hdel: 1 };
/** Renewing a user's session (SPEC P2): both ids' state, the RENAME, renewedAt, the pointer and its expiry, the index entry. */
const RENEW = { evalsha: 1, hmget: 2, rename: 1, hset: 3, pexpireat: 1 };
/** Loading a renewed id within its grace: the pointer's HGETALL, then the load of the renewed session. */
const LOAD_USER_THROUGH_POINTER = { ...LOAD_USER, hgetall: 2 };
const SECRET = randomBytes(32).toString('base64url');

function sum(...deltas: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const delta of deltas) for (const [name, calls] of Object.entries(delta)) total[name] = (total[name] ?? 0) + calls;
  return total;
}

/** The commands the app itself sent: scripts and UNLINKs, not what ran inside the scripts. */
function sent(delta: Record<string, number>): number {
  return (delta['evalsha'] ?? 0) + (delta['eval'] ?? 0) + (delta['unlink'] ?? 0);
}

describe('Redis commands per HTTP request (Express, redisStore)', () => {
  const redis = useRedis();
  let app: LoginApp;
  let store: Store;
  let http: Client;
  const count = (action: () => Promise<unknown>): Promise<Record<string, number>> => countCommands(redis().admin, action);

  /** A client logged in through `session.login()` as a new user whose username is `username`. */
  async function userSession(username: string): Promise<Client> {
    const client = new Client(app.url);
    const reply = await client.request('POST', '/login-user', { json: { userId: `${username}:${randomUUID()}` } });
    expect(reply.status).to.equal(200);
    return client;
  }

  before(async () => {
    store = redisStore(redis().client, { prefix: 'requests:' });
    app = await startLoginApp(store, { secrets: [SECRET], loadUser: async (userId) => ({ username: userId.split(':')[0] }) as never });
    // Warm-up: ioredis sends each script with EVAL the first time, EVALSHA after.
    const warm = new Client(app.url);
    await warm.request('POST', '/login', { json: { username: 'warm' } });
    await warm.request('POST', '/login', { json: { username: 'warm' } });
    await warm.request('POST', '/counter');
    await warm.request('POST', '/auth/logout');
    await (await userSession('warm')).request('POST', '/auth/logout');
  });

  after(() => app.close());

  beforeEach(() => {
    http = new Client(app.url);
  });

  it('F1, T3: a request without a session cookie sends no command, even one reading the session', async () => {
    const delta = await count(async () => {
      expect((await http.request('GET', '/healthz')).status).to.equal(200);
      expect((await http.request('GET', '/whoami')).status).to.equal(401);
    });
    expect(delta).to.deep.equal({});
  });

  it('T5: logging in without a session is one command: create', async () => {
    const delta = await count(async () => expect((await http.request('POST', '/login', { json: { username: 'ann' } })).status).to.equal(200));
    expect(delta).to.deep.equal(CREATE);
    expect(sent(delta)).to.equal(1);
  });

  it('T2, T4: an authenticated read-only request is one command: the load, which slides the deadline', async () => {
    await http.request('POST', '/login', { json: { username: 'bob' } });
    const delta = await count(async () => {
      const reply = await http.request('GET', '/whoami');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ user: 'bob' });
    });
    expect(delta).to.deep.equal(LOAD);
    expect(sent(delta)).to.equal(1);
  });

  it('U2, T2, T4: an authenticated read-only request of a logged-in user\'s session is one command: the load, which also reads the user\'s change version', async () => {
    const fay = await userSession('fay');
    const delta = await count(async () => {
      const reply = await fay.request('GET', '/whoami');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ user: 'fay' });
      expect(reply.setCookies, 'nothing to re-issue').to.deep.equal([]);
    });
    expect(delta).to.deep.equal(LOAD_USER);
    expect(sent(delta)).to.equal(1);
  });

  it('L1, U4: logging out of a logged-in user\'s session is two commands: load and the script removing the session and its index entry', async () => {
    const gus = await userSession('gus');
    const delta = await count(async () => expect((await gus.request('POST', '/auth/logout')).status).to.equal(200));
    expect(delta).to.deep.equal(sum(LOAD_USER, DESTROY_USER));
    expect(sent(delta)).to.equal(2);
  });

  it('T4, T7: a modifying request is two commands: load and update', async () => {
    await http.request('POST', '/login', { json: { username: 'cid' } });
    const delta = await count(async () => expect((await http.request('POST', '/counter')).json).to.deep.equal({ counter: 1 }));
    expect(delta).to.deep.equal(sum(LOAD, UPDATE));
    expect(sent(delta)).to.equal(2);
  });

  it('T6: logging in again over a session is two commands: load and replace', async () => {
    await http.request('POST', '/login', { json: { username: 'dee' } });
    const delta = await count(async () => expect((await http.request('POST', '/login', { json: { username: 'dee' } })).status).to.equal(200));
    expect(delta).to.deep.equal(sum(LOAD, REPLACE));
    expect(sent(delta)).to.equal(2);
  });

  it('L1: logging out is two commands: load and UNLINK', async () => {
    await http.request('POST', '/login', { json: { username: 'eve' } });
    const delta = await count(async () => expect((await http.request('POST', '/auth/logout')).status).to.equal(200));
    expect(delta).to.deep.equal(sum(LOAD, DESTROY));
    expect(sent(delta)).to.equal(2);
  });
});

describe('Redis commands per HTTP request with renewal on (Express, redisStore, P2)', () => {
  const redis = useRedis();
  const INTERVAL = 400;
  let app: LoginApp;
  const count = (action: () => Promise<unknown>): Promise<Record<string, number>> => countCommands(redis().admin, action);

  async function userSession(username: string): Promise<Client> {
    const client = new Client(app.url);
    expect((await client.request('POST', '/login-user', { json: { userId: `${username}:${randomUUID()}` } })).status).to.equal(200);
    return client;
  }

  before(async () => {
    const store: Store = redisStore(redis().client, { prefix: 'renewing:' });
    const loadUser = async (userId: string) => ({ username: userId.split(':')[0] }) as never;
    app = await startLoginApp(store, { secrets: [SECRET], loadUser, renewalInterval: INTERVAL, renewalGrace: 300 });
    // Warm-up, a renewal included: ioredis sends each script with EVAL the first time, EVALSHA after.
    const warm = await userSession('warm');
    await warm.request('POST', '/counter');
    await elapse(INTERVAL);
    await warm.request('POST', '/counter');
    await warm.request('POST', '/auth/logout');
  });

  after(() => app.close());

  it('P2, U2: with renewal on, a request of a user\'s session that is not due costs what it costs without: the load', async () => {
    const hal = await userSession('hal');
    const delta = await count(async () => expect((await hal.request('GET', '/whoami')).json).to.deep.equal({ user: 'hal' }));
    expect(delta).to.deep.equal(LOAD_USER);
    expect(sent(delta)).to.equal(1);
  });

  it('P2: the request that renews a due session is two commands, the load and the renew; the next request, and one with the old cookie within the grace, one each', async () => {
    const ivy = await userSession('ivy');
    const oldCookie = ivy.cookieHeader();
    await elapse(INTERVAL);
    const renewing = await count(async () => expect((await ivy.request('GET', '/whoami')).json).to.deep.equal({ user: 'ivy' }));
    expect(renewing).to.deep.equal(sum(LOAD_USER, RENEW));
    expect(sent(renewing)).to.equal(2);
    const next = await count(async () => expect((await ivy.request('GET', '/whoami')).json).to.deep.equal({ user: 'ivy' }));
    expect(next, 'the next request').to.deep.equal(LOAD_USER);
    const late = await count(async () => expect((await ivy.request('GET', '/whoami', { cookieHeader: oldCookie })).json).to.deep.equal({ user: 'ivy' }));
    expect(late, 'the old cookie within the grace').to.deep.equal(LOAD_USER_THROUGH_POINTER);
    expect(sent(late)).to.equal(1);
  });
});
